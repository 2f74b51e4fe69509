namespace MultiArch.Hardening.Tests;

/// <summary>This repository's root, found upwards from the test binaries (the folder holding MultiArch.sln).</summary>
public static class RepositoryRoot
{
    /// <summary>The root folder.</summary>
    public static string Path
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
                if (File.Exists(System.IO.Path.Combine(directory.FullName, "MultiArch.sln"))) return directory.FullName;
            throw new InvalidOperationException("MultiArch.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
