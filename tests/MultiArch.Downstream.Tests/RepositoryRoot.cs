namespace MultiArch.Downstream.Tests;

/// <summary>This repository's root (the folder holding MultiArch.sln), found upwards from the test assembly.</summary>
public static class RepositoryRoot
{
    /// <summary>The root folder.</summary>
    public static string Path { get; } = Find();

    /// <summary>The projects a downstream build gets as packages: the components and everything they reference.</summary>
    public static IReadOnlyList<string> PackedProjects { get; } =
        ["MultiArch.Processes", "MultiArch.Build", "MultiArch.Oci", "MultiArch.Docker", "MultiArch.Workflows",
            "MultiArch.Workflows.Local", "MultiArch.Ghcr", "MultiArch.Provisioning", "MultiArch.Components"];

    static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "MultiArch.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No MultiArch.sln above {AppContext.BaseDirectory}.");
    }
}
