using MultiArch.Build;
using MultiArch.Components;

// The example image, published by the six pipeline targets exactly as a downstream repository would.
partial class Build : IMultiArchImage
{
    [Parameter("The example base stage's own FROM (machines without Docker Hub point it at a local busybox)")]
    readonly string BaseImage = "busybox:1.36";

    public ImageDefinition Image => new("multiarch/hello")
    {
        Dockerfile = RootDirectory / "examples" / "hello" / "Dockerfile",
        BaseDockerfile = RootDirectory / "examples" / "hello" / "Dockerfile.base",
        BaseTagArgument = "HELLO_BASE_TAG",
        BaseBuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = BaseImage },
        Description = "MultiArch's example: a two-stage image that greets and prints its architecture",
        Licenses = "MIT",
    };
}
