using System.Security.Cryptography;

namespace MultiArch.Docker;

/// <summary>One file a build sends: its context-relative path, Unix mode, and a SHA-256 of its bytes (of its target, for a link).</summary>
public sealed record ContextFile(string Path, UnixFileMode Mode, string Sha256);

/// <summary>
/// The files a build context sends, as Docker filters them: the Dockerfile's own <c>&lt;Dockerfile&gt;.dockerignore</c>
/// when there is one, else the context's <c>.dockerignore</c>
/// (https://docs.docker.com/build/building/context/#dockerignore-files). Modification times are left out, as
/// BuildKit's cache leaves them out: a fresh clone hashes the same as the tree it came from.
/// </summary>
public static class BuildContextFiles
{
    /// <summary>The ignore rules in force for a build of <paramref name="dockerfile"/> with <paramref name="context"/>.</summary>
    /// <exception cref="DockerInputException">A pattern Docker would refuse.</exception>
    public static DockerIgnore IgnoreRules(string context, string dockerfile)
    {
        foreach (var file in new[] { dockerfile + ".dockerignore", Path.Combine(context, ".dockerignore") })
            if (File.Exists(file)) return DockerIgnore.Parse(File.ReadAllText(file), file);
        return DockerIgnore.Empty;
    }

    /// <summary>Every file sent, sorted by path (ordinal), so the same tree always lists the same way.</summary>
    public static IReadOnlyList<ContextFile> List(string context, DockerIgnore ignore)
    {
        var root = Path.GetFullPath(context);
        var files = new List<ContextFile>();
        Walk(new DirectoryInfo(root), "", ignore, files);
        return files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
    }

    static void Walk(DirectoryInfo directory, string prefix, DockerIgnore ignore, List<ContextFile> files)
    {
        foreach (var entry in directory.EnumerateFileSystemInfos())
        {
            var relative = prefix + entry.Name;
            var excluded = ignore.IsExcluded(relative);
            if (entry is DirectoryInfo sub && entry.LinkTarget is null)
            {
                // An excluded directory may still hold a re-included file (a later !pattern): only then descend.
                if (!excluded || ignore.HasExclusions) Walk(sub, relative + "/", ignore, files);
                continue;
            }
            if (excluded) continue;
            var mode = OperatingSystem.IsWindows() ? 0 : entry.UnixFileMode;
            // A symlink is sent as a link (COPY keeps it), so its target text is what matters, not what it points at.
            var sha = entry.LinkTarget is { } target
                ? Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("link:" + target)))
                : HashFile(entry.FullName);
            files.Add(new ContextFile(relative, mode, sha));
        }
    }

    static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
