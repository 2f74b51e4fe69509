using MultiArch.Testing;
using MultiArch.Workflows.Tests; // the shared harness and hand-off build (linked from there)
namespace MultiArch.Workflows.Local.Tests;

/// <summary>
/// The local runner executes a generated workflow: legs as separate processes, artifacts and outputs handed between jobs.
/// </summary>
[Trait("Category", "Unit")]
public sealed class LocalWorkflowRunnerTests : IDisposable
{
    const string Token = "tok-9f8e7d6c5b4a";
    readonly TempDirectory _workspace = new();
    readonly TempDirectory _work = new();

    public LocalWorkflowRunnerTests()
    {
        var script = _workspace.File("fake-build.sh");
        File.WriteAllText(script, HandOffBuild.FakeBuildScript.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(_workspace.File(".github-workflow.yml"), BuildHarness.Generate<HandOffBuild>("hand-off"));
    }

    public void Dispose()
    {
        _workspace.Dispose();
        _work.Dispose();
    }

    LocalWorkflowRunner Runner(List<string>? log = null, LocalWorkspaceMode mode = LocalWorkspaceMode.CopyPerLeg) => new(new LocalRunOptions
    {
        Workspace = _workspace.Path,
        WorkDirectory = _work.Path,
        WorkspaceMode = mode,
        Secrets = new Dictionary<string, string> { ["PUBLISH_TOKEN"] = Token },
        Log = log is null ? null : log.Add,
    });

    [Fact]
    public async Task Matrix_legs_hand_their_files_to_the_fan_in_job_which_sets_an_output()
    {
        var result = await Runner().RunFileAsync(_workspace.File(".github-workflow.yml"));

        result.Succeeded.Should().BeTrue(Describe(result));
        result.Jobs.Select(j => j.Id).Should().Equal("stamp", "collect");
        result["stamp"].Legs.Select(l => l.Matrix["platform"]).Should().Equal("linux/amd64", "linux/arm64", "linux/arm/v7");
        result["stamp"].Outputs["version"].Should().Be("1.2.3");
        result["collect"].Outputs["manifest"].Should().Be("linux/amd64,linux/arm/v7,linux/arm64 v1.2.3");
    }

    [Fact]
    public async Task Each_leg_has_its_own_workspace_so_only_artifacts_carry_files()
    {
        var result = await Runner().RunFileAsync(_workspace.File(".github-workflow.yml"));

        result.Succeeded.Should().BeTrue(Describe(result));
        Directory.GetDirectories(result.ArtifactsDirectory).Select(Path.GetFileName).Should()
            .BeEquivalentTo(["stamps-amd64", "stamps-arm64", "stamps-arm-v7"]);
        Directory.GetFiles(Path.Combine(result.ArtifactsDirectory, "stamps-arm-v7")).Select(Path.GetFileName).Should().Equal("arm-v7");
        Directory.Exists(Path.Combine(_workspace.Path, "out")).Should().BeFalse("legs never write into the caller's tree");
    }

    [Fact]
    public async Task A_work_directory_inside_the_workspace_is_never_copied_into_later_legs()
    {
        var inside = Path.Combine(_workspace.Path, ".run");
        var runner = new LocalWorkflowRunner(new LocalRunOptions { Workspace = _workspace.Path, WorkDirectory = inside,
            Secrets = new Dictionary<string, string> { ["PUBLISH_TOKEN"] = Token } });

        var result = await runner.RunFileAsync(_workspace.File(".github-workflow.yml"));

        result.Succeeded.Should().BeTrue(Describe(result));
        Directory.GetDirectories(Path.Combine(inside, "legs")).Should().HaveCount(4)
            .And.OnlyContain(leg => !Directory.Exists(Path.Combine(leg, "workspace", ".run")));
    }

    [Fact]
    public async Task Setup_actions_are_reported_as_skipped_with_the_reason()
    {
        var result = await Runner().RunFileAsync(_workspace.File(".github-workflow.yml"));

        var steps = result["collect"].Legs.Single().Steps;
        steps.Single(s => s.Name == "Check out").Should().Match<LocalStepResult>(s => s.Status == LocalStatus.Skipped
            && s.Reason == "checkout is the current tree");
        steps.Single(s => s.Name == "Set up .NET").Status.Should().Be(LocalStatus.Skipped);
        steps.Single(s => s.Name.StartsWith("Download")).Status.Should().Be(LocalStatus.Succeeded);
    }

    [Fact]
    public async Task Secret_values_are_masked_in_every_captured_line()
    {
        var log = new List<string>();

        var result = await Runner(log).RunFileAsync(_workspace.File(".github-workflow.yml"));

        var stampOutput = string.Join("\n", result["stamp"].Legs.SelectMany(l => l.Steps).Select(s => s.Output));
        stampOutput.Should().Contain("stamped linux/amd64 with token ***");
        log.Should().Contain("stamped linux/arm64 with token ***").And.NotContain(l => l.Contains(Token));
    }

    [Fact]
    public async Task A_failing_leg_fails_its_job_and_the_fan_in_job_does_not_run()
    {
        File.AppendAllText(_workspace.File("fake-build.sh"), "[ \"$platform\" != linux/arm64 ] || { echo 'arm64 broke' >&2; exit 7; }\n");

        var result = await Runner().RunFileAsync(_workspace.File(".github-workflow.yml"));

        result.Succeeded.Should().BeFalse();
        var arm = result["stamp"].Legs.Single(l => l.Matrix["platform"] == "linux/arm64");
        arm.Status.Should().Be(LocalStatus.Failed);
        arm.Steps.Single(s => s.Status == LocalStatus.Failed).Should()
            .Match<LocalStepResult>(s => s.Reason == "exit code 7" && s.Output.Contains("arm64 broke"));
        arm.Steps.Single(s => s.Name.StartsWith("Upload")).Status.Should().Be(LocalStatus.Skipped);
        result["stamp"].Legs.Where(l => l != arm).Should().OnlyContain(l => l.Status == LocalStatus.Succeeded, "fail-fast is off");
        result["collect"].Should().Match<LocalJobResult>(j => j.Status == LocalStatus.Skipped
            && j.Reason == "a job it needs did not succeed");
    }

    [Fact]
    public async Task Legs_that_upload_under_the_same_name_fail_like_upload_artifact_v4()
    {
        var text = File.ReadAllText(_workspace.File(".github-workflow.yml")).Replace("stamps-${{ matrix.platform_pair }}", "stamps");
        File.WriteAllText(_workspace.File(".github-workflow.yml"), text);

        var result = await Runner().RunFileAsync(_workspace.File(".github-workflow.yml"));

        // Legs run in parallel, so which one uploads first is not fixed: every leg after the first one fails, as on GitHub.
        var uploads = result["stamp"].Legs.Select(l => l.Steps.Single(s => s.Name.StartsWith("Upload"))).ToList();
        uploads.Count(u => u.Status == LocalStatus.Succeeded).Should().Be(1);
        uploads.Where(u => u.Status != LocalStatus.Succeeded).Should().HaveCount(uploads.Count - 1)
            .And.OnlyContain(u => u.Status == LocalStatus.Failed
                && u.Reason!.StartsWith("upload-artifact 'stamps' already exists in this run"));
    }

    [Fact]
    public void RunWorkflowLocally_regenerates_runs_and_summarises_the_workflow_with_secrets_from_the_environment()
    {
        var (exit, output) = BuildHarness.Run<HandOffBuild>(_workspace.Path, new Dictionary<string, string> { ["PUBLISH_TOKEN"] = Token },
            "RunWorkflowLocally", "--local-workflow", "hand-off");

        exit.Should().Be(0, output);
        output.Should().Contain("stamp: Succeeded (3/3 legs)").And.Contain("collect: Succeeded").And.Contain("stamped linux/arm/v7 with " +
            "token ***");
        output.Should().NotContain(Token);
    }

    [Fact]
    public void RunWorkflowLocally_names_the_known_workflows_when_asked_for_another()
    {
        var (exit, output) = BuildHarness.Run<HandOffBuild>(_workspace.Path, ci: true, "RunWorkflowLocally", "--local-workflow", "relase");

        exit.Should().Be(1);
        output.Should().Contain("--local-workflow relase: .github/workflows/relase.yml does not exist; run ./build.sh GenerateWorkflows " +
            "or pick one of hand-off.");
    }

    // Typed parameters, parsed once at start-up: a bad value on the command line names the option, its source and the fix.
    [Theory]
    [InlineData("--local-event", "pull", "--local-event (from command line): 'pull' is not an event a local run simulates; use one of " +
        "workflow_dispatch, push, pull_request, schedule.")]
    [InlineData("--local-env", "MULTIARCH_REGISTRY", "--local-env (from command line): 'MULTIARCH_REGISTRY' is not KEY=VALUE; write " +
        "e.g. MULTIARCH_REGISTRY=127.0.0.1:5000.")]
    public void RunWorkflowLocally_refuses_a_bad_local_value_before_anything_runs(string option, string value, string message)
    {
        var (exit, output) = BuildHarness.Run<HandOffBuild>(_workspace.Path, ci: true, "RunWorkflowLocally", "--local-workflow", "hand-off",
            option, value);

        exit.Should().Be(1);
        output.Should().Contain(message).And.NotContain("##[step]", "nothing ran");
    }

    [Fact]
    public void RunWorkflowLocally_for_an_event_the_workflow_does_not_trigger_on_runs_nothing_and_says_so()
    {
        var (exit, output) = BuildHarness.Run<HandOffBuild>(_workspace.Path, new Dictionary<string, string> { ["PUBLISH_TOKEN"] = Token },
            "RunWorkflowLocally", "--local-workflow", "hand-off", "--local-event", "pull_request");

        exit.Should().Be(0, output);
        output.Should().Contain("workflow 'Hand-off' has no pull_request trigger, so GitHub would not run it")
            .And.Contain("stamp: Skipped").And.NotContain("stamped linux/");
    }

    static string Describe(LocalRunResult result) => string.Join("\n", result.Jobs.SelectMany(j => j.Legs.SelectMany(l => l.Steps
        .Select(s => $"{j.Id} {string.Join(",", l.Matrix.Values)} {s.Name}: {s.Status} {s.Reason}\n{s.Output}"))));
}
