using MultiArch.Build;
using MultiArch.Components;
using MultiArch.Docker;
using MultiArch.Oci;
using MultiArch.Oci.Tagging;
using MultiArch.Workflows;

/// <summary>
/// Acme's app, published to two registries at once: the per-arch images go to GHCR, the index is mirrored to Docker Hub
/// with the same digest; each per-arch image carries a SLSA v1 provenance referrer, and the index is tagged by
/// docker/metadata-action-style rules.
/// </summary>
class Build : MultiArchBuild, IMultiArchImage, IGitHubWorkflows
{
    public static int Main(string[] args) => Execute<Build, IMergeManifest>(args, x => x.MergeManifest);

    [Parameter("The image's own FROM (machines without Docker Hub point it at a local busybox)")]
    readonly string BaseImage = "busybox:1.36";

    public ImageDefinition Image => new("acme/app")
    {
        BaseDockerfile = RootDirectory / "docker" / "app" / "Dockerfile.base",
        Dockerfile = RootDirectory / "docker" / "app" / "Dockerfile",
        BaseTagArgument = "APP_BASE_TAG",
        BaseBuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = BaseImage },
        Platforms = [Platform.LinuxAmd64, Platform.LinuxArm64],
    };

    // The first gets the per-arch images; the second receives the index by copy. --registries (MULTIARCH_REGISTRIES) replaces both.
    public IReadOnlyList<string> DefaultRegistries => ["ghcr.io/acme", "docker.io/acme"];

    // metadata-action's tags input, typed: v1.2.3 gives 1.2.3, 1.2 and latest; main gives edge, main and sha-<7>; a pull request pr-<n>.
    public Tags Tags => new(
        new TagRule.Ref(RefEvent.Branch),
        new TagRule.Ref(RefEvent.Pr),
        new TagRule.Semver("{{version}}"),
        new TagRule.Semver("{{major}}.{{minor}}"),
        new TagRule.Edge("main"),
        new TagRule.Sha());

    public IEnumerable<WorkflowDefinition> Workflows =>
    [
        new WorkflowDefinition("release", "Release")
            .OnPush(branches: ["main"], tags: ["v*"])
            .OnDispatch()
            .Invokes<IMergeManifest>(x => x.MergeManifest)
            .WithEnv("MULTIARCH_ATTEST", "provenance")
            // GHCR with the workflow's token; Docker Hub (the mirror, logged in to by the merge job only) with
            // secrets.DOCKER_IO_USERNAME and secrets.DOCKER_IO_TOKEN.
            .Login(RegistryLogin.GitHubContainerRegistry with { Mirrors = [RegistryLogin.WithHostSecrets("docker.io")] })
            .Contribute(DockerWorkflowSteps.Instance),
    ];
}
