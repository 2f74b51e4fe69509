using MultiArch.Build;

namespace MultiArch.Components.Tests;

/// <summary>This repository's root (the folder holding MultiArch.sln), found upwards from the test assembly.</summary>
public static class RepositoryRoot
{
    /// <summary>The root folder.</summary>
    public static AbsolutePath Path { get; } = Find();

    /// <summary>The example image the pipeline builds by default.</summary>
    public static AbsolutePath HelloExample => Path / "examples" / "hello";

    static AbsolutePath Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "MultiArch.sln"))) return new AbsolutePath(dir.FullName);
        throw new InvalidOperationException($"No MultiArch.sln above {AppContext.BaseDirectory}.");
    }
}
