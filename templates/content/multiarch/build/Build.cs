using MultiArch.Build;
using MultiArch.Components;
using MultiArch.Oci;
using MultiArch.Workflows;

/// <summary>This repository's build: one two-stage image, published for two platforms as one multi-arch index.</summary>
class Build : MultiArchBuild, IMultiArchImage, IGitHubWorkflows
{
    public static int Main(string[] args) => Execute<Build, IMergeManifest>(args, x => x.MergeManifest);

    [Parameter("The base stage's FROM (docker/Dockerfile.base: ARG BASE_IMAGE)")]
    readonly string BaseImage = "busybox:1.36";

    public IReadOnlyList<ImageDefinition> Images =>
    [
        new("acme/app")
        {
            BaseDockerfile = RootDirectory / "docker" / "Dockerfile.base",
            Dockerfile = RootDirectory / "docker" / "Dockerfile",
            BaseTagArgument = "BASE_TAG",
            BaseBuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = BaseImage },
            Platforms = [Platform.LinuxAmd64, Platform.LinuxArm64],
        },
    ];

    // ./build.sh GenerateWorkflows writes .github/workflows/release.yml and pull-request.yml from these targets.
    public IEnumerable<WorkflowDefinition> Workflows =>
    [
        new WorkflowDefinition("release", "Release").OnPush(tags: ["v*"]).OnDispatch()
            .Invokes<IMergeManifest>(x => x.MergeManifest)
            .Invokes<ICleanupUntagged>(x => x.CleanupUntagged)
            .WithEnv("MULTIARCH_REGISTRY", "ghcr.io")
            .Login(RegistryLogin.GitHubContainerRegistry)
            .Contribute(DockerWorkflowSteps.Instance),
        // Every leg of a pull request builds, pushes to a throwaway registry on its runner and runs the targets you add
        // between ours; nothing is published and no secret is used.
        new WorkflowDefinition("pull-request", "Pull request").OnPullRequest("main")
            .Invokes<IMergeManifest>(x => x.MergeManifest)
            .Contribute(DockerWorkflowSteps.Instance),
    ];
}
