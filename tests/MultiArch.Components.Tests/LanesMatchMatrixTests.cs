using MultiArch.Build;
using MultiArch.Oci;
using MultiArch.Workflows;

namespace MultiArch.Components.Tests;

// Local lanes and CI legs come from one function (TargetGraph.Partitions): for each build, the cells the executor
// runs a partitioned target in are exactly the include entries of the generated matrix job that runs it.
[Trait("Category", "Unit")]
public sealed class LanesMatchMatrixTests
{
    static readonly AsyncLocal<TargetBuild?> LastBuilt = new();

    /// <summary>One image on the default platforms.</summary>
    public sealed class OneImageBuild : TargetBuild, IMultiArchImage, IGitHubWorkflows
    {
        public OneImageBuild() => LastBuilt.Value = this;
        public ImageDefinition Image => new("acme/app") { Dockerfile = RootDirectory / "Dockerfile" };
        public IEnumerable<WorkflowDefinition> Workflows => [Release()];
    }

    /// <summary>Two images whose platform sets differ: api has a third one.</summary>
    public sealed class TwoImagesBuild : TargetBuild, IMultiArchImage, IGitHubWorkflows
    {
        public TwoImagesBuild() => LastBuilt.Value = this;
        public IReadOnlyList<ImageDefinition> Images =>
        [
            new("acme/api")
            {
                Dockerfile = RootDirectory / "api" / "Dockerfile",
                Platforms = [Platform.LinuxAmd64, Platform.LinuxArm64, Platform.LinuxArmV7],
            },
            new("acme/worker") { Dockerfile = RootDirectory / "worker" / "Dockerfile", Platforms = [Platform.LinuxArm64] },
        ];
        public IEnumerable<WorkflowDefinition> Workflows => [Release()];
    }

    /// <summary>A third axis, with the engine's default partitions (the product of the array parameters).</summary>
    public sealed class ThreeAxesBuild : TargetBuild, IGitHubWorkflows
    {
        public ThreeAxesBuild() => LastBuilt.Value = this;
        [Parameter("Images")] public string[] Image = ["api", "worker"];
        [Parameter("Platforms")] public string[] Platform = ["linux/amd64", "linux/arm64"];
        [Parameter("Variants")] public string[] Variant = ["slim", "full"];

        public Target Test => _ => _.PartitionedBy("image", "platform", "variant").Executes(_ => { });
        public Target Report => _ => _.DependsOn(Test).Executes(() => { });
        public IEnumerable<WorkflowDefinition> Workflows => [new WorkflowDefinition("test", "Test").OnDispatch().Invokes(nameof(Report))];
    }

    /// <summary>The pipeline plus a build's own axis: variant values come from its parameter, never from the platform.</summary>
    public sealed class PipelineVariantBuild : TargetBuild, IMultiArchImage, IGitHubWorkflows
    {
        public PipelineVariantBuild() => LastBuilt.Value = this;
        [Parameter("Variants")] public string[] Variant = ["slim", "full"];
        public ImageDefinition Image => new("acme/app") { Dockerfile = RootDirectory / "Dockerfile" };
        public Target SmokeTest => _ => _
            .DependsOn<IPushArch>(x => x.PushArch)
            .PartitionedBy("image", "platform", "variant")
            .Executes(_ => { });
        public IEnumerable<WorkflowDefinition> Workflows =>
            [new WorkflowDefinition("smoke", "Smoke").OnDispatch().Invokes(nameof(SmokeTest))
            .WithEnv("MULTIARCH_REGISTRY", "ghcr.io").Login(RegistryLogin.GitHubContainerRegistry)];
    }

    [Fact]
    public void A_third_axis_in_a_pipeline_build_gets_its_own_values()
    {
        var graph = Load(nameof(PipelineVariantBuild));

        graph.Partitions(["image", "platform", "variant"]).Select(p => p.Key).Should().Equal(
            "app linux/amd64 slim", "app linux/amd64 full", "app linux/arm64 slim", "app linux/arm64 full");
    }

    static WorkflowDefinition Release() => new WorkflowDefinition("release", "Release").OnDispatch()
        .Invokes<IMergeManifest>(x => x.MergeManifest)
        .WithEnv("MULTIARCH_REGISTRY", "ghcr.io")
        .Login(RegistryLogin.GitHubContainerRegistry);

    public static TheoryData<string> Builds =>
        new(nameof(OneImageBuild), nameof(TwoImagesBuild), nameof(ThreeAxesBuild), nameof(PipelineVariantBuild));

    [Theory]
    [MemberData(nameof(Builds))]
    public void The_executors_lanes_are_the_generated_matrix_legs(string build)
    {
        var graph = Load(build);
        var definition = ((IGitHubWorkflows)LastBuilt.Value!).Workflows.Single();
        var workflow = JobGraphBuilder.Build(definition, graph);

        // Local-only targets (CleanupBaseTags) are no step of their own in CI.
        var partitioned = graph.Targets.Where(t => t.PartitionAxes.Count > 0 && graph.Plan(definition.Targets).Contains(t)
                                                   && !t.Annotations.ContainsKey(WorkflowAnnotations.LocalOnly)).ToList();
        partitioned.Should().NotBeEmpty();
        foreach (var target in partitioned)
        {
            var lanes = graph.Partitions(target.PartitionAxes).Select(p => Cell(p.Values)).ToList();
            var job = workflow.Jobs.Values.Single(j => j.Steps.Any(s => s.Run?.Split(' ').Contains(target.Name) == true
                                                                  || s.Name?.Split(' ').Contains(target.Name) == true));
            var legs = job.Strategy!.Include
                .Select(entry => Cell(entry.Where(e => target.PartitionAxes.Contains(e.Key, StringComparer.OrdinalIgnoreCase))))
                .ToList();
            legs.Should().Equal(lanes, $"{build}: {target.Name} runs in the same cells locally and in CI, in the same order");
        }
        var expected = build switch
        {
            nameof(OneImageBuild) => 2,
            nameof(TwoImagesBuild) => 4, // api x3, worker x1: never the product 2 x 3
            nameof(PipelineVariantBuild) => 2, // BuildBase: image x platform; SmokeTest's cells are checked above
            _ => 8,
        };
        graph.Partitions(partitioned[0].PartitionAxes).Should().HaveCount(expected);
    }

    static string Cell(IEnumerable<KeyValuePair<string, string>> values) =>
        string.Join(", ", values.Select(v => $"{v.Key.ToLowerInvariant()}={v.Value}"));

    static TargetGraph Load(string build)
    {
        var root = Directory.CreateTempSubdirectory("multiarch-lanes-");
        try
        {
            var output = new StringWriter();
            var options = new BuildRunOptions
            {
                Output = output, Environment = new Dictionary<string, string>(), RootDirectory = new AbsolutePath(root.FullName),
            };
            var exit = build switch
            {
                nameof(OneImageBuild) => TargetBuild.Execute<OneImageBuild>(["--help"], options),
                nameof(TwoImagesBuild) => TargetBuild.Execute<TwoImagesBuild>(["--help"], options),
                nameof(PipelineVariantBuild) => TargetBuild.Execute<PipelineVariantBuild>(["--help"], options),
                _ => TargetBuild.Execute<ThreeAxesBuild>(["--help"], options),
            };
            exit.Should().Be(0, output.ToString());
            return LastBuilt.Value!.Graph;
        }
        finally { root.Delete(recursive: true); }
    }
}
