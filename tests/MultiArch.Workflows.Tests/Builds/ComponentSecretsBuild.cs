using MultiArch.Build;

namespace MultiArch.Workflows.Tests;

/// <summary>A cleanup component as ICleanupUntagged declares it: the token is a [Secret] of the component itself.</summary>
public interface ITokenCleanup : IBuild
{
    [Parameter("Token for the packages API", Environment = "GITHUB_TOKEN"), Secret]
    string? GithubToken => TryGetValue(() => GithubToken);

    Target CleanupUntagged => _ => _.Annotate(WorkflowAnnotations.Publishes, "true")
        .Annotate(WorkflowAnnotations.Job, "cleanup").Annotate(WorkflowAnnotations.ContinueOnError, "true");
}

/// <summary>
/// A downstream release as a user writes it from the README: the pipeline plus the cleanup component, no
/// <c>.Secret(...)</c> at all. The token must reach the cleanup job, and only it.
/// </summary>
public sealed class ComponentSecretsBuild : TestBuild, ITokenCleanup
{
    [Parameter("Platforms")] public string[] Platform = ["linux/amd64", "linux/arm64"];

    public Target PushArch => _ => _.PartitionedBy("platform").Produces("artifacts/digests").Annotate(WorkflowAnnotations.Publishes, "true")
        .Annotate(WorkflowAnnotations.Job, "build");
    public Target MergeManifest => _ => _.DependsOn(PushArch).Consumes("artifacts/digests").Annotate(WorkflowAnnotations.Publishes, "true")
        .Annotate(WorkflowAnnotations.Job, "merge").Triggers<ITokenCleanup>(x => x.CleanupUntagged);

    public override IEnumerable<WorkflowDefinition> Workflows =>
    [
        new WorkflowDefinition("release", "Release").OnPush(tags: ["v*"]).Invokes(nameof(MergeManifest)),
        new WorkflowDefinition("pinned", "Pinned").OnPush(tags: ["v*"]).Invokes(nameof(MergeManifest)).PinActionsToCommits()
            .RunsOn("linux/arm64", "ubuntu-24.04", emulated: true),
    ];
}
