using MultiArch.Build;

namespace MultiArch.Workflows.Tests;

/// <summary>
/// The pipeline's shape without Docker: six targets with the partitions, hand-offs and annotations the real
/// components declare. Subclasses choose the axes, the partitions and the workflows.
/// </summary>
public abstract class PipelineBuild : TestBuild
{
    [Parameter("Platforms to build")] public string[] Platform = ["linux/amd64", "linux/arm64"];
    [Parameter("Version to publish")] public string? Version;
    [Parameter("Registry password"), Secret] public string? RegistryPassword;
    [Parameter("Not a secret")] public string? Registry;

    protected virtual string[] PerLeg => ["platform"];
    protected virtual string[] PerMerge => [];

    public Target BuildBase => _ => _.PartitionedBy(PerLeg)
        .Annotate(WorkflowAnnotations.Job, "build").Annotate(WorkflowAnnotations.Outputs, "version");
    public Target BuildApp => _ => _.DependsOn(BuildBase).PartitionedBy(PerLeg);
    public Target PushArch => _ => _.DependsOn(BuildApp).PartitionedBy(PerLeg).Annotate(WorkflowAnnotations.Publishes, "true");
    public Target ExportDigest => _ => _.DependsOn(PushArch).PartitionedBy(PerLeg).Produces("artifacts/digests");
    public Target MergeManifest => _ => _.DependsOn(ExportDigest).PartitionedBy(PerMerge).Consumes("artifacts/digests")
        .Annotate(WorkflowAnnotations.Publishes, "true").Annotate(WorkflowAnnotations.Job, "merge");
    public Target CleanupUntagged => _ => _.TriggeredBy(MergeManifest).Annotate(WorkflowAnnotations.Publishes, "true")
        .Annotate(WorkflowAnnotations.Job, "cleanup").Annotate(WorkflowAnnotations.ContinueOnError, "true");
}

/// <summary>One image, two native platforms: the release workflow, plus pull-request variants.</summary>
public sealed class ReleaseBuild : PipelineBuild
{
    public override IEnumerable<WorkflowDefinition> Workflows =>
    [
        new WorkflowDefinition("release", "Release")
            .OnDispatch().OnPush(tags: ["v*"])
            .Invokes(nameof(MergeManifest))
            .Input(nameof(Version), "Version to publish (default: from git)")
            .Secret(nameof(RegistryPassword), "REGISTRY_TOKEN")
            .Login(RegistryLogin.GitHubContainerRegistry)
            .Contribute(new RegistrySteps()),
        new WorkflowDefinition("pull-request", "Pull request")
            .OnPullRequest("main")
            .Invokes(nameof(MergeManifest))
            .Login(RegistryLogin.GitHubContainerRegistry)
            .Contribute(new RegistrySteps()),
        new WorkflowDefinition("main", "Main")
            .OnPush(branches: ["main"]).OnPullRequest("main")
            .Invokes(nameof(MergeManifest))
            .Login(RegistryLogin.GitHubContainerRegistry)
            .Contribute(new RegistrySteps()),
    ];
}

/// <summary>Several images times platforms, one merge per image (a 2-D matrix), on a nightly schedule.</summary>
public class DevBuild : PipelineBuild, IPartitionSource
{
    [Parameter("Images to build (all when empty)")] public string[]? Image;

    protected override string[] PerLeg => ["image", "platform"];
    protected override string[] PerMerge => ["image"];

    protected virtual IReadOnlyDictionary<string, string[]> Images => new Dictionary<string, string[]>
    {
        ["web"] = ["linux/amd64", "linux/arm64"],
        ["worker"] = ["linux/amd64", "linux/arm64"],
    };

    public IReadOnlyList<string>? AxisValues(string axis) => axis switch
    {
        "image" => Images.Keys.ToList(),
        "platform" => Images.Values.SelectMany(p => p).Distinct().ToList(),
        _ => throw new BuildException($"DevBuild has no axis {axis}."),
    };

    public bool Keeps(Partition cell) =>
        !cell.Values.TryGetValue("platform", out var platform) || Images[cell["image"]].Contains(platform);

    protected virtual string FileName => "dev";

    public override IEnumerable<WorkflowDefinition> Workflows =>
    [
        new WorkflowDefinition(FileName, "Development images")
            .OnDispatch().OnSchedule("0 0 * * *")
            .Invokes(nameof(MergeManifest))
            .MaxParallel(8)
            .Login(new RegistryLogin("ghcr.io", passwordSecret: "ORG_TOKEN"))
            .Contribute(new RegistrySteps()),
    ];
}

/// <summary>The 2-D build where one image adds arm/v7 (native on the arm runner) and riscv64 (emulated).</summary>
public sealed class ExtraPlatformBuild : DevBuild
{
    protected override IReadOnlyDictionary<string, string[]> Images => new Dictionary<string, string[]>
    {
        ["web"] = ["linux/amd64", "linux/arm64", "linux/arm/v7", "linux/riscv64"],
        ["worker"] = ["linux/amd64", "linux/arm64"],
    };

    protected override string FileName => "dev-extra-platform";
}
