using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace MultiArch.Workflows.Local;

/// <summary>
/// <c>hashFiles(patterns)</c> as GitHub computes it: the files under the workspace matching the globs (a leading
/// <c>!</c> excludes; later patterns win), in path order, each hashed with SHA-256, and those hashes hashed again.
/// Empty when nothing matches, like GitHub.
/// </summary>
public static class LocalHashFiles
{
    /// <summary>The hash of the files in <paramref name="workspace"/> that <paramref name="patterns"/> select.</summary>
    public static string Compute(string workspace, IReadOnlyList<string> patterns)
    {
        var rules = patterns.Select(p => p.StartsWith('!') ? (Include: false, Glob: ToRegex(p[1..])) : (Include: true, Glob: ToRegex(p)))
            .ToList();
        var files = Directory.EnumerateFiles(workspace, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(workspace, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith(".git/", StringComparison.Ordinal))
            .Where(f => rules.Aggregate(false, (selected, rule) => rule.Glob.IsMatch(f) ? rule.Include : selected))
            .Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) return "";
        using var all = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            using var stream = File.OpenRead(Path.Combine(workspace, file));
            all.AppendData(SHA256.HashData(stream));
        }
        return Convert.ToHexStringLower(all.GetHashAndReset());
    }

    // ** crosses folders (and matches none), * and ? stay within one path segment.
    static Regex ToRegex(string glob)
    {
        var pattern = Regex.Escape(glob.TrimStart('.', '/')).Replace(@"\*\*/", "(.*/)?").Replace(@"\*\*", ".*").Replace(@"\*", "[^/]*")
            .Replace(@"\?", "[^/]");
        return new Regex("^" + pattern + "$", RegexOptions.CultureInvariant);
    }
}
