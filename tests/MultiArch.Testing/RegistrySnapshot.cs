namespace MultiArch.Testing;

/// <summary>
/// Everything a registry holds, as lines to compare: every repository of the catalog, every tag with the digest of
/// its manifest, and every stored file with its size (an upload session or a new blob would show up there).
/// </summary>
public static class RegistrySnapshot
{
    /// <summary>The sorted lines describing <paramref name="registry"/> now.</summary>
    public static async Task<IReadOnlyList<string>> TakeAsync(RegistryProcess registry)
    {
        using var client = registry.CreateClient();
        var lines = new List<string>();
        foreach (var repository in await client.ListRepositoriesAsync())
        {
            lines.Add($"repository {repository}");
            foreach (var tag in await client.ListTagsAsync(repository))
                lines.Add($"tag {repository}:{tag} {(await client.HeadManifestAsync(repository, tag))?.Digest}");
        }
        if (Directory.Exists(registry.StorageDirectory))
            lines.AddRange(Directory.EnumerateFiles(registry.StorageDirectory, "*", SearchOption.AllDirectories)
                .Select(f => $"file {Path.GetRelativePath(registry.StorageDirectory, f)} {new FileInfo(f).Length}"));
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }
}
