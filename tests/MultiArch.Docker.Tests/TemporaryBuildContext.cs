using MultiArch.Testing;

namespace MultiArch.Docker.Tests;

/// <summary>A throwaway build context directory (a <see cref="TempDirectory"/>) with a few small files; deleted on dispose.</summary>
public sealed class TemporaryBuildContext : IDisposable
{
    readonly TempDirectory _folder = new("multiarch-docker-test-");

    public string Directory => _folder.Path;

    /// <summary>Writes a file (e.g. a Dockerfile) into the context and returns its full path.</summary>
    public string Write(string name, string content) => _folder.File(name, content);

    public void Dispose() => _folder.Dispose();
}
