using MultiArch.Build;

/// <summary>
/// This repository's own build. It is split by concern: Build.DotNet.cs (restore, compile, test, pack),
/// and the image pipeline comes from the MultiArch components, exactly as in a downstream repository.
/// </summary>
partial class Build : TargetBuild
{
    public static int Main(string[] args) => Execute<Build>(args, x => x.Test);

    [Parameter("Build configuration")] readonly Configuration Configuration = Configuration.Debug;

    AbsolutePath Solution => RootDirectory / "MultiArch.sln";
    AbsolutePath ArtifactsDirectory => RootDirectory / "artifacts";
}

enum Configuration { Debug, Release }
