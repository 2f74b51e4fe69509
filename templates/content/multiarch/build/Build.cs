using MultiArch.Build;
using MultiArch.Components;
using MultiArch.Oci;

/// <summary>This repository's build: one two-stage image, published for two platforms as one multi-arch index.</summary>
class Build : MultiArchBuild, IMultiArchImage
{
    public static int Main(string[] args) => Execute<Build, IMergeManifest>(args, x => x.MergeManifest);

    public ImageDefinition Image => new("acme/app")
    {
        BaseDockerfile = RootDirectory / "docker" / "Dockerfile.base",
        Dockerfile = RootDirectory / "docker" / "Dockerfile",
        BaseTagArgument = "BASE_TAG",
        Platforms = [Platform.LinuxAmd64, Platform.LinuxArm64],
    };
}
