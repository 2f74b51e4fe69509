namespace MultiArch.Docker.Tests;

/// <summary>A throwaway build context directory with a few small files; deleted on dispose.</summary>
public sealed class TemporaryBuildContext : IDisposable
{
    public TemporaryBuildContext()
    {
        Directory = Path.Combine(Path.GetTempPath(), "multiarch-docker-test-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    /// <summary>Writes a file (e.g. a Dockerfile) into the context and returns its full path.</summary>
    public string Write(string name, string content)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
