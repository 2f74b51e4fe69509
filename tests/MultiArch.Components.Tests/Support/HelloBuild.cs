using MultiArch.Build;

namespace MultiArch.Components.Tests;

/// <summary>
/// The pipeline as a downstream build declares it: one image, two stages, like build/Build.Image.cs. The app folder
/// is a parameter so a test can point it at a broken Dockerfile; a folder without Dockerfile.base is single-stage.
/// </summary>
public sealed class HelloBuild : TargetBuild, IMultiArchImage
{
    /// <summary>The local busybox index that LocalServices publishes (build/Build.Services.cs) (this machine has no Docker Hub).</summary>
    public const string BusyboxIndex = "127.0.0.1:5000/multiarch/busybox:1.35";

    [Parameter("Folder holding the app Dockerfile, and Dockerfile.base for a two-stage image")]
    readonly AbsolutePath AppDirectory = RepositoryRoot.HelloExample;

    [Parameter("The image's declared platforms (a test that needs only one declares only one); default: the defaults")]
    readonly string[]? ImagePlatforms;

    [Parameter("The base stage's own FROM")]
    readonly string BaseImage = BusyboxIndex;

    [Parameter("Declare no description (the app stage must then not show its base's)")]
    readonly bool NoDescription;

    [Parameter("Extra build arguments of the app stage, NAME=VALUE")]
    readonly string[] AppBuildArgs = [];

    /// <inheritdoc />
    public ImageDefinition Image => new("multiarch/hello")
    {
        Dockerfile = AppDirectory / "Dockerfile",
        BaseDockerfile = File.Exists(AppDirectory / "Dockerfile.base") ? AppDirectory / "Dockerfile.base" : null,
        BaseTagArgument = "HELLO_BASE_TAG",
        BuildArgs = AppBuildArgs.Select(a => a.Split('=', 2)).ToDictionary(a => a[0], a => a.Length > 1 ? a[1] : ""),
        BaseBuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = BaseImage },
        Description = NoDescription ? null : "MultiArch's example, built by the component tests",
        Platforms = ImagePlatforms?.Select(MultiArch.Oci.Platform.Parse).ToList(),
        Licenses = "MIT",
    };
}
