using MultiArch.Oci;
using MultiArch.Workflows;

namespace MultiArch.Components.Tests;

/// <summary>
/// A real pipeline build for the golden workflows: <see cref="MultiArchBuild"/> with the six components and
/// <see cref="IGitHubWorkflows"/>, as a downstream repository declares it. Its instance is reachable after
/// <c>Execute</c> (for its graph) through <see cref="WorkflowGeneration.Load{T}"/>.
/// </summary>
public abstract class GoldenBuild : MultiArchBuild, IMultiArchImage, IGitHubWorkflows
{
    static readonly AsyncLocal<GoldenBuild?> LastBuilt = new();

    protected GoldenBuild() => LastBuilt.Value = this;

    /// <summary>The instance the last Execute on this async flow created.</summary>
    public static GoldenBuild Last => LastBuilt.Value ?? throw new InvalidOperationException("No golden build ran on this test's flow.");

    /// <inheritdoc />
    public abstract IReadOnlyList<ImageDefinition> Images { get; }

    /// <inheritdoc />
    public abstract IEnumerable<WorkflowDefinition> Workflows { get; }

    /// <summary>A two-stage image under docker/&lt;name&gt;/ on these platforms.</summary>
    protected ImageDefinition TwoStage(string repository, params Platform[] platforms)
    {
        var folder = RootDirectory / "docker" / repository.Split('/')[^1];
        return new(repository)
        {
            BaseDockerfile = folder / "Dockerfile.base", Dockerfile = folder / "Dockerfile", Platforms = platforms,
        };
    }

    /// <summary>The pipeline's workflow as the README writes it: merge and cleanup, GHCR, the Docker steps.</summary>
    protected static WorkflowDefinition Pipeline(string file, string name, RegistryLogin login) =>
        new WorkflowDefinition(file, name)
            .Invokes<IMergeManifest>(x => x.MergeManifest)
            .Invokes<ICleanupUntagged>(x => x.CleanupUntagged)
            .WithEnv("MULTIARCH_REGISTRY", "ghcr.io")
            .Login(login)
            .Contribute(DockerWorkflowSteps.Instance);
}

/// <summary>One image, two native platforms: the release workflow, plus pull-request variants.</summary>
public sealed class ReleaseBuild : GoldenBuild
{
    public override IReadOnlyList<ImageDefinition> Images => [TwoStage("acme/app", Platform.LinuxAmd64, Platform.LinuxArm64)];

    public override IEnumerable<WorkflowDefinition> Workflows =>
    [
        // The pipeline's targets declare no secret the workflow could name (.Secret refuses RegistryPassword): the legs and
        // the merge log in through docker/login-action, here with a token of its own.
        Pipeline("release", "Release", new RegistryLogin("ghcr.io", passwordSecret: "REGISTRY_TOKEN"))
            .OnDispatch().OnPush(tags: ["v*"])
            .Input("Version", "Version to publish (default: from git)"),
        // Pull requests only: every leg builds and pushes to its throwaway registry; nothing is published.
        new WorkflowDefinition("pull-request", "Pull request")
            .OnPullRequest("main")
            .Invokes<IMergeManifest>(x => x.MergeManifest)
            .Contribute(DockerWorkflowSteps.Instance),
        Pipeline("main", "Main", RegistryLogin.GitHubContainerRegistry)
            .OnPush(branches: ["main"]).OnPullRequest("main"),
    ];
}

/// <summary>Two images times two platforms, one merge per image (a 2-D matrix), on a nightly schedule.</summary>
public class DevBuild : GoldenBuild
{
    public override IReadOnlyList<ImageDefinition> Images =>
    [
        TwoStage("acme/web", Platform.LinuxAmd64, Platform.LinuxArm64),
        TwoStage("acme/worker", Platform.LinuxAmd64, Platform.LinuxArm64),
    ];

    protected virtual string FileName => "dev";

    public override IEnumerable<WorkflowDefinition> Workflows =>
    [
        Pipeline(FileName, "Development images", new RegistryLogin("ghcr.io", passwordSecret: "ORG_TOKEN"))
            .OnDispatch().OnSchedule("0 0 * * *")
            .MaxParallel(8),
    ];
}

/// <summary>The 2-D build where one image adds arm/v7 (native on the arm runner) and riscv64 (emulated).</summary>
public sealed class ExtraPlatformBuild : DevBuild
{
    public override IReadOnlyList<ImageDefinition> Images =>
    [
        TwoStage("acme/web", Platform.LinuxAmd64, Platform.LinuxArm64, Platform.LinuxArmV7, Platform.Parse("linux/riscv64")),
        TwoStage("acme/worker", Platform.LinuxAmd64, Platform.LinuxArm64),
    ];

    protected override string FileName => "dev-extra-platform";
}
