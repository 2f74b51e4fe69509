using MultiArch.Build;
using MultiArch.Components;
using MultiArch.Docker;
using MultiArch.Oci;
using MultiArch.Workflows;

/// <summary>
/// Acme's build: two two-stage images (api on three platforms, worker on two), a smoke test of every pushed
/// per-arch image, one extra build argument and label on BuildApp, and the GitHub workflows generated from it all.
/// </summary>
class Build : MultiArchBuild, IMultiArchImage, IGitHubWorkflows
{
    public static int Main(string[] args) => Execute<Build, IMergeManifest>(args, x => x.MergeManifest);

    [Parameter("The images' own FROM (machines without Docker Hub point it at a local busybox)")]
    readonly string BaseImage = "busybox:1.36";

    public IReadOnlyList<ImageDefinition> Images =>
    [
        new("acme/api")
        {
            BaseDockerfile = RootDirectory / "docker" / "api" / "Dockerfile.base",
            Dockerfile = RootDirectory / "docker" / "api" / "Dockerfile",
            BaseTagArgument = "API_BASE_TAG",
            BaseBuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = BaseImage },
            // The one image with a third platform.
            Platforms = [Platform.LinuxAmd64, Platform.LinuxArm64, Platform.LinuxArmV7],
        },
        new("acme/worker")
        {
            BaseDockerfile = RootDirectory / "docker" / "worker" / "Dockerfile.base",
            Dockerfile = RootDirectory / "docker" / "worker" / "Dockerfile",
            BaseTagArgument = "WORKER_BASE_TAG",
            BaseBuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = BaseImage },
            Platforms = [Platform.LinuxAmd64, Platform.LinuxArm64],
        },
    ];

    // Ours, extended: the same BuildApp, with one more build argument and label (its settings hook, not the target).
    Configure<DockerBuildSettings> IBuildApp.BuildAppSettings =>
        s => s.BuildArg("APP_ENV", "production").Label("com.acme.team", "platform");

    // Theirs, between two of ours: runs each freshly pushed per-arch image (under QEMU where the engine needs it), per matrix leg.
    Target SmokeTest => _ => _
        .Description("Runs each pushed per-arch image and checks that its machine and word size (uname -m, 32/64-bit) match its platform")
        .DependsOn<IPushArch>().DependentFor<IExportDigest>()
        .PartitionedBy(IMultiArchPipeline.ImageAxis, IMultiArchPipeline.PlatformAxis)
        .Executes(async partition =>
        {
            var pipeline = (IMultiArchPipeline)this;
            var (image, platform) = pipeline.Resolve(partition);
            var reference = pipeline.ArchReference(image, platform).ToString();
            // Not `uname -m` alone: linux/arm/v7 prints armv7l under QEMU but armv8l or aarch64 natively on an arm64 runner.
            var running = await ContainerArchitecture.ReadAsync(Docker, reference, platform, Cancellation);
            if (running.Mismatch(platform) is { } expected)
                throw new BuildException($"SmokeTest {reference}: the container runs as {running}, {expected}.");
            AddSummary($"SmokeTest {image.Name} {platform}: {running}");
        });

    public IEnumerable<WorkflowDefinition> Workflows =>
    [
        new WorkflowDefinition("release", "Release")
            .OnPush(tags: ["v*"])
            .OnDispatch()
            .Invokes<IMergeManifest>(x => x.MergeManifest)
            .WithEnv("MULTIARCH_REGISTRY", "ghcr.io")
            .Login(RegistryLogin.GitHubContainerRegistry)
            .Contribute(DockerWorkflowSteps.Instance),
    ];
}
