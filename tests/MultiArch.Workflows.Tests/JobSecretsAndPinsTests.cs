namespace MultiArch.Workflows.Tests;

/// <summary>Secrets per job from the targets' own [Secret] parameters, pins from the action table, runners per platform.</summary>
[Trait("Category", "Unit")]
public sealed class JobSecretsAndPinsTests
{
    static Workflow Generate(string file)
    {
        var (graph, workflows) = BuildHarness.Load<ComponentSecretsBuild>();
        return JobGraphBuilder.Build(workflows.Single(w => w.FileName == file), graph);
    }

    static IEnumerable<(string Job, Step Step)> RunSteps(Workflow workflow) =>
        workflow.Jobs.SelectMany(j => j.Value.Steps.Where(s => s.Run is not null).Select(s => (j.Key, s)));

    [Fact]
    public void A_components_secret_reaches_the_job_that_runs_its_target_without_a_Secret_call_and_no_other()
    {
        var workflow = Generate("release");

        workflow.Jobs.Keys.Should().Equal("build", "merge", "cleanup");
        foreach (var (job, step) in RunSteps(workflow))
            step.Env.ContainsKey("GITHUB_TOKEN").Should().Be(job == "cleanup", $"job {job} runs `{step.Run}`");
        RunSteps(workflow).Single(r => r.Job == "cleanup").Step.Env["GITHUB_TOKEN"].Should().Be("${{ secrets.GITHUB_TOKEN }}");
    }

    [Fact]
    public void A_cleanup_job_needs_the_merge_and_cannot_fail_the_run()
    {
        var cleanup = Generate("release").Jobs["cleanup"];

        cleanup.Needs.Should().Contain("merge");
        cleanup.ContinueOnError.Should().BeTrue();
        WorkflowRenderer.Render(Generate("release"), "test").Should().Contain("    continue-on-error: true\n");
    }

    [Fact]
    public void Every_table_entry_declares_node24_and_every_emitted_action_is_in_the_table()
    {
        ActionVersions.All.Should().OnlyContain(v => v.Runtime == "node24");
        ActionVersions.All.Should().OnlyContain(v => v.CommitSha.Length == 40 && v.Release.StartsWith(v.Major + "."));
        foreach (var file in new[] { "release", "pinned" })
            Generate(file).Jobs.Values.SelectMany(j => j.Steps).Select(s => s.Uses).OfType<ActionReference>()
                .Should().OnlyContain(u => ActionVersions.Find(u) != null, $"{file} uses only tabled actions");
    }

    [Fact]
    public void PinActionsToCommits_without_arguments_pins_each_action_to_its_tabled_release_commit()
    {
        var text = WorkflowRenderer.Render(Generate("pinned"), "test");

        text.Should().Contain($"uses: actions/checkout@{ActionVersions.Checkout.CommitSha} # {ActionVersions.Checkout.Release}")
            .And.Contain($"uses: actions/upload-artifact@{ActionVersions.UploadArtifact.CommitSha} # " +
                $"{ActionVersions.UploadArtifact.Release}")
            .And.NotContain("@v");
    }

    [Fact]
    public void A_build_sets_the_runner_of_a_platform_for_private_repositories()
    {
        var legs = Generate("pinned").Jobs["build"].Strategy!.Include;

        legs.Single(l => l["platform"] == "linux/arm64").Should()
            .Contain("runner", "ubuntu-24.04").And.Contain("emulated", "true").And.Contain("qemu", "arm64");
        legs.Single(l => l["platform"] == "linux/amd64").Should().Contain("runner", "ubuntu-24.04").And.NotContainKey("qemu");
        RunnerMap.X64WithQemu.For("linux/arm/v7").Should().Be(new Runner("ubuntu-24.04", Emulated: true));
    }
}
