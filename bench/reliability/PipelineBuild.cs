using MultiArch.Build;
using MultiArch.Components;

namespace MultiArch.Bench.Reliability;

/// <summary>The smallest pipeline build, one image whose Dockerfile sits in the root, run as its own process.</summary>
public sealed class PipelineBuild : TargetBuild, IMultiArchImage
{
    /// <inheritdoc />
    public ImageDefinition Image => new("multiarch/hardening") { Dockerfile = RootDirectory / "Dockerfile" };
}
