using MultiArch.Oci;
using MultiArch.Build;
using MultiArch.Components;

namespace MultiArch.Hardening.Tests;

/// <summary>
/// The smallest downstream build: one image whose Dockerfile sits in the build root. The bad-input corpus runs it
/// through the engine exactly as <c>./build.sh</c> would, so every message is the one a user sees.
/// </summary>
public sealed class HardeningBuild : TargetBuild, IMultiArchImage
{
    /// <inheritdoc />
    public ImageDefinition Image => new("multiarch/hardening") { Dockerfile = RootDirectory / "Dockerfile",
        Platforms = [Platform.LinuxAmd64] };
}

/// <summary>A component of someone else's that also declares a MergeManifest target.</summary>
public interface IReleaseNotes : IBuild
{
    /// <summary>Clashes with <see cref="IMergeManifest.MergeManifest"/>.</summary>
    Target MergeManifest => _ => _.Executes(() => { });
}

/// <summary>A build mixing the pipeline with a component whose target has the same name.</summary>
public sealed class DuplicateTargetBuild : TargetBuild, IMultiArchImage, IReleaseNotes
{
    /// <inheritdoc />
    public ImageDefinition Image => new("multiarch/hardening") { Dockerfile = RootDirectory / "Dockerfile",
        Platforms = [Platform.LinuxAmd64] };
}

/// <summary>The smallest build with a base stage: BuildBase tags it locally under an internal name.</summary>
public sealed class BaseStageBuild : TargetBuild, IMultiArchImage
{
    /// <inheritdoc />
    public ImageDefinition Image => new("multiarch/hardening") { Dockerfile = RootDirectory / "Dockerfile",
        BaseDockerfile = RootDirectory / "Dockerfile" };
}
