using MultiArch.Build;

namespace MultiArch.Workflows.Tests;

/// <summary>
/// Not the pipeline: a generic fan-out and fan-in of six empty targets for the generator's own rules (matrix, needs:,
/// artifacts, outputs, publishing guards, secrets, contributors). The pipeline's workflows are generated from real builds
/// (MultiArchBuild, IMultiArchImage) in MultiArch.Components.Tests, golden files included. Subclasses choose the axes.
/// </summary>
public abstract class FanInBuildBase : TestBuild
{
    [Parameter("Platforms to build")] public string[] Platform = ["linux/amd64", "linux/arm64"];
    [Parameter("Version to publish")] public string? Version;
    [Parameter("Registry password"), Secret] public string? RegistryPassword;
    [Parameter("Not a secret")] public string? Registry;

    protected virtual string[] PerLeg => ["platform"];
    protected virtual string[] PerMerge => [];

    public Target Compile => _ => _.PartitionedBy(PerLeg)
        .Annotate(WorkflowAnnotations.Job, "build").Annotate(WorkflowAnnotations.Outputs, "version");
    public Target Package => _ => _.DependsOn(Compile).PartitionedBy(PerLeg);
    public Target Upload => _ => _.DependsOn(Package).PartitionedBy(PerLeg).Annotate(WorkflowAnnotations.Publishes, "true");
    public Target Export => _ => _.DependsOn(Upload).PartitionedBy(PerLeg).Produces("artifacts/parts");
    public Target Combine => _ => _.DependsOn(Export).PartitionedBy(PerMerge).Consumes("artifacts/parts")
        .Annotate(WorkflowAnnotations.Publishes, "true").Annotate(WorkflowAnnotations.Job, "merge");
    public Target Tidy => _ => _.TriggeredBy(Combine).Annotate(WorkflowAnnotations.Publishes, "true")
        .Annotate(WorkflowAnnotations.Job, "cleanup").Annotate(WorkflowAnnotations.ContinueOnError, "true");
}

/// <summary>One axis (platform): a dispatch-and-tag workflow plus pull-request variants.</summary>
public sealed class FanInBuild : FanInBuildBase
{
    public override IEnumerable<WorkflowDefinition> Workflows =>
    [
        new WorkflowDefinition("release", "Release")
            .OnDispatch().OnPush(tags: ["v*"])
            .Invokes(nameof(Combine))
            .Input(nameof(Version), "Version to publish (default: from git)")
            .Secret(nameof(RegistryPassword), "REGISTRY_TOKEN")
            .WithEnv("MULTIARCH_REGISTRY", "ghcr.io"),
        new WorkflowDefinition("pull-request", "Pull request")
            .OnPullRequest("main")
            .Invokes(nameof(Combine)),
        new WorkflowDefinition("main", "Main")
            .OnPush(branches: ["main"]).OnPullRequest("main")
            .Invokes(nameof(Combine))
            .WithEnv("MULTIARCH_REGISTRY", "ghcr.io"),
    ];
}

/// <summary>Two axes (image x platform) with one fan-in per image; subclasses choose the image names.</summary>
public abstract class TwoAxisBuild : FanInBuildBase, IPartitionSource
{
    [Parameter("Images to build (all when empty)")] public string[]? Image;

    protected override string[] PerLeg => ["image", "platform"];
    protected override string[] PerMerge => ["image"];

    protected abstract IReadOnlyDictionary<string, string[]> Images { get; }

    public IReadOnlyList<string>? AxisValues(string axis) => axis switch
    {
        "image" => Images.Keys.ToList(),
        "platform" => Images.Values.SelectMany(p => p).Distinct().ToList(),
        _ => throw new BuildException($"{GetType().Name} has no axis {axis}."),
    };

    public bool Keeps(Partition cell) =>
        !cell.Values.TryGetValue("platform", out var platform) || Images[cell["image"]].Contains(platform);

    public override IEnumerable<WorkflowDefinition> Workflows =>
        [new WorkflowDefinition("images", "Images").OnDispatch().Invokes(nameof(Combine)).WithEnv("MULTIARCH_REGISTRY", "ghcr.io")];
}
