using MultiArch.Components;
using MultiArch.Oci;

// The example images, published by the six pipeline targets exactly as a downstream repository would.
partial class Build : IMultiArchImage
{
    // Two images make this a two-image build: the dev workflow's 2-D matrix (image x platform) comes from here.
    public IReadOnlyList<ImageDefinition> Images =>
    [
        new("multiarch/hello")
        {
            Dockerfile = RootDirectory / "examples" / "hello" / "Dockerfile",
            BaseDockerfile = RootDirectory / "examples" / "hello" / "Dockerfile.base",
            BaseTagArgument = "HELLO_BASE_TAG",
            BaseBuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = ExampleBase },
            Description = "MultiArch's example: a two-stage image that greets and prints its architecture",
            Licenses = "MIT",
        },
        new("multiarch/hello-slim")
        {
            Dockerfile = RootDirectory / "examples" / "hello-slim" / "Dockerfile",
            BuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = ExampleBase },
            Platforms = [Platform.LinuxAmd64, Platform.LinuxArm64, Platform.LinuxArmV7],
            Description = "MultiArch's single-stage example, with one more platform",
            Licenses = "MIT",
        },
    ];
}
