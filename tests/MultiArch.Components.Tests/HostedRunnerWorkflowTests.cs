using MultiArch.Workflows;
using MultiArch.Workflows.Local;

namespace MultiArch.Components.Tests;

/// <summary>
/// The committed workflows (this repository's and the downstream sample's), checked against what
/// GitHub's hosted runners do: node24 actions only, one engine per leg, QEMU only where a leg needs it, secrets only where
/// a target reads them, re-runnable artifacts, a cleanup job that cannot fail a release, serialised releases,
/// pinned OS labels, and nothing published from a fork. Conditions are evaluated with the local runner's evaluator.
/// </summary>
[Trait("Category", "Unit")]
public sealed class HostedRunnerWorkflowTests
{
    public static TheoryData<string> Committed => new()
    {
        ".github/workflows/release.yml", ".github/workflows/dev.yml", "samples/downstream/.github/workflows/release.yml",
    };

    public static TheoryData<string> Publishing => new() { ".github/workflows/release.yml", ".github/workflows/dev.yml" };

    static Workflow Read(string relative) => WorkflowReader.ReadFile(RepositoryRoot.Path / relative);

    static IEnumerable<Step> Steps(Workflow workflow) => workflow.Jobs.Values.SelectMany(j => j.Steps);

    // Evaluates an if: for one leg of a job, as the runner would, with this event and fork flag.
    static bool Runs(string? condition, IReadOnlyDictionary<string, string> leg, string eventName = "push", bool fork = false,
        Dictionary<string, object?>? steps = null)
    {
        var contexts = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["github"] = new Dictionary<string, object?>
            {
                ["event_name"] = eventName, ["ref"] = "refs/heads/main", ["workflow"] = "Release",
                ["event"] = new Dictionary<string, object?> { ["repository"] = new Dictionary<string, object?> { ["fork"] = fork } },
            },
            ["matrix"] = leg.ToDictionary(e => e.Key, e => (object?)e.Value),
            ["steps"] = steps ?? new Dictionary<string, object?>(),
        };
        return new WorkflowExpression(contexts, fn => fn != "failure").Condition(condition);
    }

    [Theory]
    [MemberData(nameof(Committed))]
    public void Every_action_is_a_node24_pin_from_the_table(string file)
    {
        foreach (var uses in Steps(Read(file)).Select(s => s.Uses).OfType<ActionReference>())
            ActionVersions.Find(uses).Should().NotBeNull($"{file} uses {uses}, which ActionVersions does not list")
                .And.Match<ActionVersion>(v => v.Runtime == "node24");
    }

    [Theory]
    [MemberData(nameof(Committed))]
    public void Setup_docker_action_points_DOCKER_HOST_at_the_engine_it_starts(string file)
    {
        var setups = Steps(Read(file)).Where(s => s.Uses?.Is("docker/setup-docker-action") == true).ToList();
        setups.Should().NotBeEmpty();
        setups.Should().OnlyContain(s => s.With.GetValueOrDefault("set-host") == "true", "without set-host only the CLI context switches");
    }

    [Theory]
    [MemberData(nameof(Committed))]
    public void QEMU_is_set_up_only_for_the_emulator_a_leg_needs(string file)
    {
        foreach (var (id, job) in Read(file).Jobs)
            foreach (var leg in MatrixExpansion.Legs(job.Strategy))
            {
                if (leg.GetValueOrDefault("platform")?.StartsWith("linux/arm/", StringComparison.Ordinal) == true)
                    job.Steps.Should().Contain(s => s.Uses != null && s.Uses.Is("docker/setup-qemu-action"),
                        $"{file} job {id}: a 32-bit arm leg needs a QEMU fallback for arm64 hosts without AArch32");
                foreach (var qemu in job.Steps.Where(s => s.Uses?.Is("docker/setup-qemu-action") == true))
                {
                    var platform = leg.GetValueOrDefault("platform") ?? "";
                    var native = new Dictionary<string, object?> { ["aarch32"] = Probe("true") };
                    var noAArch32 = new Dictionary<string, object?> { ["aarch32"] = Probe("false") };
                    qemu.With.Should().ContainKey("platforms", "all emulators would also catch native 32-bit arm binaries");
                    Runs(qemu.If, leg, steps: native).Should().Be(leg.GetValueOrDefault("emulated") == "true",
                        $"{file} job {id} leg {platform}: QEMU only on emulated legs while the runner runs its platform natively");
                    if (platform.StartsWith("linux/arm/", StringComparison.Ordinal) && leg["runner"] == RunnerMap.Arm64Label)
                        Runs(qemu.If, leg, steps: noAArch32).Should().BeTrue($"{file} job {id}: an arm64 host without AArch32 falls back " +
                            "to QEMU");
                }
            }
    }

    static Dictionary<string, object?> Probe(string native) => new()
    {
        ["outcome"] = "success", ["outputs"] = new Dictionary<string, object?> { ["native"] = native },
    };

    [Theory]
    [MemberData(nameof(Publishing))]
    public void GITHUB_TOKEN_reaches_only_the_job_that_runs_CleanupUntagged(string file)
    {
        foreach (var (id, job) in Read(file).Jobs)
            foreach (var step in job.Steps.Where(s => s.Run is not null))
                step.Env.ContainsKey("GITHUB_TOKEN").Should().Be(step.Run!.Contains("CleanupUntagged"),
                    $"{file} job {id} runs `{step.Run}`; only CleanupUntagged reads the token");
    }

    [Theory]
    [MemberData(nameof(Committed))]
    public void Artifacts_can_be_uploaded_again_by_a_re_run_and_outlive_a_day(string file)
    {
        foreach (var (id, job) in Read(file).Jobs)
        {
            var uploads = job.Steps.Where(s => s.Uses?.Is("actions/upload-artifact") == true).ToList();
            foreach (var upload in uploads)
                upload.With.Should().Contain("overwrite", "true", $"{file} job {id}: a re-run uploads again")
                    .And.Contain("retention-days", "3");
            var names = MatrixExpansion.Legs(job.Strategy).SelectMany(leg => uploads.Select(u => new WorkflowExpression(
                new Dictionary<string, object?> { ["matrix"] = leg.ToDictionary(e => e.Key, e => (object?)e.Value) }, _ => true)
                    .Substitute(u.With["name"]))).ToList();
            names.Should().OnlyHaveUniqueItems($"{file} job {id}: every leg uploads under its own name");
        }
    }

    [Theory]
    [MemberData(nameof(Publishing))]
    public void Cleanup_is_its_own_job_after_the_merge_and_cannot_fail_the_release(string file)
    {
        var workflow = Read(file);
        var cleanup = workflow.Jobs.Single(j => j.Value.Steps.Any(s => s.Run?.Contains("CleanupUntagged") == true));
        cleanup.Key.Should().Be("cleanup");
        cleanup.Value.Needs.Should().Contain("merge");
        cleanup.Value.ContinueOnError.Should().BeTrue();
        workflow.Jobs["merge"].Steps.Should().NotContain(s => s.Run != null && s.Run.Contains("CleanupUntagged"));
    }

    [Fact]
    public void Releases_queue_per_workflow_and_pull_requests_cancel_their_superseded_runs()
    {
        var release = Read(".github/workflows/release.yml").Concurrency!;
        release.Group.Should().NotContain("github.ref", "two tags are two refs, and must still not overlap");
        release.CancelInProgress.Should().Be("false");

        var dev = Read(".github/workflows/dev.yml").Concurrency!;
        string Group(string eventName, string gitRef) => Evaluate(dev.Group, eventName, gitRef);
        Group("push", "refs/heads/main").Should().Be(Group("schedule", "refs/heads/main"))
            .And.Be(Group("workflow_dispatch", "refs/heads/other"));
        Group("pull_request", "refs/pull/1/merge").Should()
            .NotBe(Group("pull_request", "refs/pull/2/merge")).And.NotBe(Group("push", "refs/heads/main"));
        Evaluate(dev.CancelInProgress, "pull_request", "refs/pull/1/merge").Should().Be("true");
        Evaluate(dev.CancelInProgress, "push", "refs/heads/main").Should().Be("false");
    }

    static string Evaluate(string text, string eventName, string gitRef) => new WorkflowExpression(new Dictionary<string, object?>
    {
        ["github"] = new Dictionary<string, object?> { ["event_name"] = eventName, ["ref"] = gitRef, ["workflow"] = "Development" },
    }, _ => true).Substitute(text);

    [Theory]
    [MemberData(nameof(Committed))]
    public void Runners_name_the_OS_release_so_x64_and_arm64_legs_match(string file)
    {
        foreach (var (id, job) in Read(file).Jobs)
        {
            var labels = job.RunsOn == "${{ matrix.runner }}" ? MatrixExpansion.Legs(job.Strategy).Select(l => l["runner"]).ToList()
                : [job.RunsOn];
            labels.Should().OnlyContain(l => l == RunnerMap.X64Label || l == RunnerMap.Arm64Label, $"{file} job {id}");
        }
    }

    [Theory]
    [InlineData("pull_request", false, "registry:3")]
    [InlineData("push", true, "registry:3")]
    [InlineData("push", false, "")]
    [InlineData("schedule", false, "")]
    public void The_throwaway_registry_service_starts_only_for_runs_that_publish_nothing(string eventName, bool fork, string image)
    {
        var service = Read(".github/workflows/dev.yml").Jobs["build"].Services["registry"];
        var contexts = new Dictionary<string, object?>
        {
            ["github"] = new Dictionary<string, object?>
            {
                ["event_name"] = eventName,
                ["event"] = new Dictionary<string, object?> { ["repository"] = new Dictionary<string, object?> { ["fork"] = fork } },
            },
        };
        // An empty image starts no service (docs.github.com, workflow syntax, jobs.<job_id>.services.<service_id>.image).
        new WorkflowExpression(contexts, _ => true).Substitute(service.Image).Should().Be(image);
    }

    [Theory]
    [MemberData(nameof(Committed))]
    public void A_forks_push_publishes_nothing(string file)
    {
        string[] publishing = ["PushArch", "ExportDigest", "MergeManifest", "CleanupUntagged"];
        foreach (var (id, job) in Read(file).Jobs)
            foreach (var leg in MatrixExpansion.Legs(job.Strategy))
                foreach (var step in job.Steps.Where(s => s.Run is not null && publishing.Any(s.Run.Contains)))
                {
                    if (!Runs(job.If, leg, fork: true) || !Runs(step.If, leg, fork: true)) continue;
                    // PR mode: it may run, against the job's throwaway registry service only, and with no secrets.
                    step.Run.Should().Contain("--registry \"$PULL_REQUEST_REGISTRY\"", $"{file} job {id} would run `{step.Run}` in a fork");
                    step.Env["PULL_REQUEST_REGISTRY"].Should().StartWith("127.0.0.1:${{ job.services.registry.ports");
                    step.Env.Values.Should().NotContain(v => v.Contains("secrets."), $"{file} job {id}");
                }
    }
}
