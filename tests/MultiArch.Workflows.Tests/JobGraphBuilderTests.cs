using MultiArch.Build;

namespace MultiArch.Workflows.Tests;

/// <summary>How definitions and the target graph become jobs, and how bad definitions are reported.</summary>
[Trait("Category", "Unit")]
public sealed class JobGraphBuilderTests
{
    static Workflow Build(Func<WorkflowDefinition, WorkflowDefinition> define)
    {
        var (graph, _) = BuildHarness.Load<FanInBuild>();
        return JobGraphBuilder.Build(define(new WorkflowDefinition("test", "Test").OnDispatch().WithEnv("MULTIARCH_REGISTRY", "ghcr.io")),
            graph);
    }

    static Action Building(Func<WorkflowDefinition, WorkflowDefinition> define) => () => Build(define);

    [Fact]
    public void Partitioned_targets_form_one_matrix_job_and_the_fan_in_needs_it()
    {
        var workflow = Build(d => d.Invokes("Combine"));

        workflow.Jobs.Keys.Should().Equal("build", "merge", "cleanup");
        workflow.Jobs["build"].Strategy!.Include.Select(i => i["platform"]).Should().Equal("linux/amd64", "linux/arm64");
        workflow.Jobs["merge"].Needs.Should().Equal("build");
        workflow.Jobs["merge"].Strategy.Should().BeNull();
    }

    [Fact]
    public void A_value_one_job_computes_reaches_the_next_through_job_outputs_and_env()
    {
        var workflow = Build(d => d.Invokes("Combine"));

        workflow.Jobs["build"].Outputs["version"].Should().Be("${{ steps.build.outputs.version }}");
        workflow.Jobs["build"].Steps.Single(s => s.Run is not null).Id.Should().Be("build");
        workflow.Jobs["merge"].Steps.Single(s => s.Run is not null).Env["MULTIARCH_VERSION"].Should()
            .Be("${{ needs.build.outputs.version }}");
    }

    [Fact]
    public void Invoking_only_partitioned_targets_gives_a_single_matrix_job_that_lets_the_engine_add_dependencies()
    {
        var workflow = Build(d => d.Invokes("Export"));

        workflow.Jobs.Keys.Should().Equal("build");
        workflow.Jobs["build"].Steps.Single(s => s.Run is not null).Run.Should()
            .Be("./build.sh Export --platform \"$MATRIX_PLATFORM\"");
        workflow.Jobs["build"].Steps.Single(s => s.Run is not null).Env.Should().Contain("MATRIX_PLATFORM", "${{ matrix.platform }}",
            "a matrix value reaches the shell through env, so a space or a quote in it is never parsed as shell");
    }

    [Fact]
    public void Unknown_target_is_named_with_a_suggestion()
    {
        Building(d => d.Invokes("Combines")).Should().Throw<WorkflowDefinitionException>()
            .WithMessage("Workflow 'test': Unknown target 'Combines'.*Combine*");
    }

    [Fact]
    public void A_publishing_workflow_that_names_no_registry_is_refused_with_the_fix()
    {
        var (graph, _) = BuildHarness.Load<FanInBuild>();
        var bare = () => new WorkflowDefinition("release", "Release").OnDispatch().Invokes("Combine");

        FluentActions.Invoking(() => JobGraphBuilder.Build(bare(), graph)).Should().Throw<WorkflowDefinitionException>()
            .WithMessage("Workflow 'release' publishes but names no registry (it would push to 127.0.0.1:5000 on the runner); add " +
                ".WithEnv(\"MULTIARCH_REGISTRY\", \"ghcr.io\")*.Login(*");
        // Any one of these names where to publish; a pull-request-only workflow publishes nothing and needs none.
        JobGraphBuilder.Build(bare().Login(RegistryLogin.GitHubContainerRegistry), graph).Jobs.Keys.Should().Contain("merge");
        JobGraphBuilder.Build(bare().WithEnv("MULTIARCH_REGISTRY", "ghcr.io"), graph).Jobs.Keys.Should().Contain("merge");
        JobGraphBuilder.Build(bare().Input("Registry"), graph).Jobs.Keys.Should().Contain("merge");
        JobGraphBuilder.Build(new WorkflowDefinition("pr", "PR").OnPullRequest().Invokes("Combine"), graph).Jobs.Keys.Should()
            .Equal("build");
        // A plain REGISTRY is not what the build reads, so it does not count.
        FluentActions.Invoking(() => JobGraphBuilder.Build(bare().WithEnv("REGISTRY", "ghcr.io"), graph)).Should()
            .Throw<WorkflowDefinitionException>();
    }

    [Fact]
    public void A_pull_request_names_its_throwaway_registry_with_the_option_the_workflow_sets()
    {
        var (graph, _) = BuildHarness.Load<MirroringBuild>();
        string PullRequestRun(WorkflowDefinition definition) => JobGraphBuilder.Build(definition, graph).Jobs["build"].Steps
            .Single(s => s.Name?.Contains("pull request") == true).Run!;
        WorkflowDefinition Main() => new WorkflowDefinition("main", "Main").OnPush(branches: ["main"]).OnPullRequest("main")
            .Invokes("Combine").Login(RegistryLogin.GitHubContainerRegistry);

        PullRequestRun(Main()).Should().EndWith("--registry \"$PULL_REQUEST_REGISTRY\"");
        // With MULTIARCH_REGISTRIES in the workflow's env, --registry would come with --registries (refused as both
        // given): the throwaway registry replaces the list instead.
        PullRequestRun(Main().WithEnv("MULTIARCH_REGISTRIES", "ghcr.io/acme docker.io/acme")).Should()
            .EndWith("--registries \"$PULL_REQUEST_REGISTRY\"");
    }

    /// <summary>The fan-in build, plus a list of registries to publish to (as the pipeline's --registries).</summary>
    public sealed class MirroringBuild : FanInBuildBase
    {
        [Parameter("Registries to publish to")] public string[]? Registries;

        public override IEnumerable<WorkflowDefinition> Workflows => [];
    }

    [Fact]
    public void Input_for_an_unknown_parameter_names_the_known_ones()
    {
        Building(d => d.Invokes("Combine").Input("Verison")).Should().Throw<WorkflowDefinitionException>()
            .WithMessage("Workflow 'test' input 'Verison' names no parameter of the build; known: *Version*");
    }

    [Fact]
    public void Secret_for_a_parameter_not_marked_secret_is_refused()
    {
        Building(d => d.Invokes("Combine").Secret("Registry", "REGISTRY")).Should().Throw<WorkflowDefinitionException>()
            .WithMessage("*parameter 'Registry' from secret REGISTRY, but the parameter is not marked [Secret]*");
    }

    [Fact]
    public void A_secret_value_instead_of_a_secret_name_is_refused()
    {
        var define = () => new WorkflowDefinition("test", "Test").Secret("RegistryPassword", "ghp_abc-123 value");

        define.Should().Throw<WorkflowDefinitionException>().WithMessage("*must be a secret NAME*").Which.Message.Should()
            .NotContain("ghp_abc");
    }

    [Fact]
    public void Workflow_without_trigger_is_refused()
    {
        var (graph, _) = BuildHarness.Load<FanInBuild>();
        var build = () => JobGraphBuilder.Build(new WorkflowDefinition("test", "Test").Invokes("Combine"), graph);

        build.Should().Throw<WorkflowDefinitionException>().WithMessage("Workflow 'test' has no trigger; add *");
    }

    [Fact]
    public void Actions_can_be_pinned_to_commit_SHAs_and_a_missing_pin_is_named()
    {
        const string sha = "11bd71901bbe5b1630ceea73d27597364c9af683";
        var pins = new Dictionary<string, string>
        {
            ["actions/checkout@v5"] = sha, ["actions/setup-dotnet@v5"] = sha, ["actions/cache@v5"] = sha,
            ["actions/upload-artifact@v6"] = sha, ["actions/download-artifact@v7"] = sha,
        };

        var workflow = Build(d => d.Invokes("Combine").PinActionsToCommits(pins));

        workflow.Jobs.Values.SelectMany(j => j.Steps).Select(s => s.Uses).OfType<ActionReference>()
            .Should().OnlyContain(u => u.CommitSha == sha && u.VersionComment == ActionVersions.All.Single(v => u.Is(v.Action)).Major);
        pins.Remove("actions/download-artifact@v7");
        Building(d => d.Invokes("Combine").PinActionsToCommits(pins)).Should().Throw<WorkflowDefinitionException>()
            .WithMessage("*no SHA for 'actions/download-artifact@v7'; add it to .PinActionsToCommits(...).");
    }

    [Fact]
    public void The_runner_map_is_a_parameter()
    {
        var workflow = Build(d => d.Invokes("Export").WithRunners(RunnerMap.Default.With("linux/arm64", "self-hosted-arm")));

        workflow.Jobs["build"].Strategy!.Include.Single(i => i["platform"] == "linux/arm64")["runner"].Should().Be("self-hosted-arm");
    }

    [Theory]
    [InlineData("linux/amd64", "ubuntu-24.04", false)]
    [InlineData("linux/arm64", "ubuntu-24.04-arm", false)]
    [InlineData("linux/arm/v7", "ubuntu-24.04-arm", false)]
    [InlineData("linux/ppc64le", "ubuntu-24.04", true)]
    public void Default_runners_are_native_where_GitHub_has_them_and_emulated_elsewhere(string platform, string label, bool emulated)
    {
        RunnerMap.Default.For(platform).Should().Be(new Runner(label, emulated));
    }

    [Theory]
    [InlineData("linux/arm/v7", "arm-v7")]
    [InlineData("linux/amd64", "amd64")]
    [InlineData("windows/amd64", "windows-amd64")]
    public void Platform_pairs_are_safe_in_artifact_names(string platform, string pair)
    {
        MultiArch.Components.PlatformMatrixAxis.Instance.Slug(platform).Should().Be(pair);
    }

    [Fact]
    public void Image_names_that_would_make_artifact_patterns_overlap_are_refused()
    {
        var (graph, workflows) = BuildHarness.Load<OverlappingImagesBuild>();

        var build = () => JobGraphBuilder.Build(workflows.Single(), graph);

        build.Should().Throw<WorkflowDefinitionException>()
            .WithMessage("*artifact pattern 'parts-web--*' of job 'merge' would also download 'parts-web--admin--amd64'*");
        // One dash is no overlap: the values are joined with two (parts-web--amd64, parts-web-admin--amd64).
        var (dashed, dashedWorkflows) = BuildHarness.Load<DashedImagesBuild>();
        JobGraphBuilder.Build(dashedWorkflows.Single(), dashed).Jobs.Keys.Should().Contain("merge");
    }

    [Fact]
    public void An_axis_without_a_parameter_to_select_it_is_refused()
    {
        var (graph, workflows) = BuildHarness.Load<NoImageParameterBuild>();

        var build = () => JobGraphBuilder.Build(workflows.Single(), graph);

        build.Should().Throw<WorkflowDefinitionException>()
            .WithMessage("Workflow 'flavours' job 'flavour' is partitioned by 'flavour', but the build has no parameter 'flavour' for a " +
                "leg to select its value; declare [Parameter] string[] Flavour.");
    }

    /// <summary>Partitioned by an axis no parameter is named after.</summary>
    public sealed class NoImageParameterBuild : TestBuild, IPartitionSource
    {
        public Target Flavour => _ => _.PartitionedBy("flavour");

        public IReadOnlyList<string>? AxisValues(string axis) => ["plain"];

        public override IEnumerable<WorkflowDefinition> Workflows =>
            [new WorkflowDefinition("flavours", "Flavours").OnDispatch().Invokes(nameof(Flavour))];
    }

    [Fact]
    public void Contributors_see_the_jobs_targets_legs_and_annotations()
    {
        var seen = new List<string>();
        Build(d => d.Invokes("Combine").Contribute(job =>
        {
            seen.Add($"{job.Id}: {string.Join(",", job.Targets.Select(t => t.Name))} legs={job.Legs.Count} publishes={job.Publishes} " +
                     $"version-from={string.Join(",", job.TargetsAnnotated(WorkflowAnnotations.Outputs).Select(t => t.Name))}");
            return [];
        }));

        seen.Should().Equal(
            "build: Compile,Package,Upload,Export legs=2 publishes=True version-from=Compile",
            "merge: Combine legs=0 publishes=True version-from=",
            "cleanup: Tidy legs=0 publishes=True version-from=");
    }

    /// <summary>Images "web" and "web-admin": a per-image pattern for web would also match web-admin.</summary>
    public sealed class OverlappingImagesBuild : TwoAxisBuild
    {
        protected override IReadOnlyDictionary<string, string[]> Images => new Dictionary<string, string[]>
        {
            ["web"] = ["linux/amd64"],
            ["web--admin"] = ["linux/amd64"],
        };
    }

    public sealed class DashedImagesBuild : TwoAxisBuild
    {
        protected override IReadOnlyDictionary<string, string[]> Images => new Dictionary<string, string[]>
        {
            ["web"] = ["linux/amd64"],
            ["web-admin"] = ["linux/amd64"],
        };
    }
}
