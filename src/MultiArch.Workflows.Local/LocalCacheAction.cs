using System.Security.Cryptography;
using System.Text;

namespace MultiArch.Workflows.Local;

/// <summary>
/// <c>actions/cache@v5</c> emulated in a folder, one sub-folder per saved key. Restore (the main step) follows
/// actions/cache v5.0.5 (commit 27d5ce7, src/restoreImpl.ts, action.yml) and GitHub's "Cache key matching"
/// (docs.github.com, dependency caching reference): an exact match of <c>key</c>, else the newest entry whose key
/// starts with <c>key</c>, else each <c>restore-keys</c> line in order as a prefix (newest first); only entries saved
/// with the same <c>path</c> input match (the cache "version"). <c>cache-hit</c> is "true" for an exact match, "false"
/// for a prefix match and not set on a miss (restoreImpl.ts leaves it unset, actions/cache#1466). Save (the post step,
/// <c>post-if: success()</c>) runs when the job succeeded and the key was not an exact hit; a key that exists is kept,
/// as the service refuses to reserve it. <c>fail-on-cache-miss</c> and <c>lookup-only</c> behave as documented.
/// </summary>
public sealed class LocalCacheAction(string directory)
{
    /// <summary>The folder holding one folder per saved key.</summary>
    public string Directory { get; } = directory;

    /// <summary>What the restore found, kept for the post step (the action's saved state).</summary>
    public sealed record Restored(string Key, string Version, IReadOnlyList<string> Paths, IReadOnlyList<string> Resolved,
        string? MatchedKey);

    /// <summary>Runs the main step: resolves the inputs, restores the best matching entry and sets <c>cache-hit</c>.</summary>
    public (LocalActionOutcome Outcome, Restored State) Restore(IReadOnlyDictionary<string, string> with, string workspace, string home)
    {
        var key = Lines(with, "key").SingleOrDefault()
            ?? throw new LocalStepException("actions/cache: the key input is empty; give the step with.key (one line).");
        var paths = Lines(with, "path");
        if (paths.Count == 0)
            throw new LocalStepException($"actions/cache '{key}': the path input is empty; list the files or folders to cache in " +
                "with.path.");
        var restoreKeys = Lines(with, "restore-keys");
        // @actions/cache's own checks (checkKey, and at most 10 keys in all).
        if (restoreKeys.Count + 1 > 10)
            throw new LocalStepException($"actions/cache '{key}': Key Validation Error: Keys are limited to a maximum of 10; " +
                "give at most 9 restore-keys.");
        foreach (var k in restoreKeys.Prepend(key))
        {
            if (k.Length > 512)
                throw new LocalStepException($"actions/cache: Key Validation Error: {k} cannot be larger than 512 characters; " +
                    "shorten the key.");
            if (k.Contains(','))
                throw new LocalStepException($"actions/cache: Key Validation Error: {k} cannot contain commas; remove them from the key.");
        }
        var resolved = paths.Select(p => Resolve(p, workspace, home)).ToList();
        var version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('|', paths))));
        var entry = Find(version, [key, .. restoreKeys]);
        var state = new Restored(key, version, paths, resolved, entry?.Key);
        if (entry is null)
        {
            if (Flag(with, "fail-on-cache-miss"))
                throw new LocalStepException($"Failed to restore cache entry. Exiting as fail-on-cache-miss is set. Input key: {key}");
            return (new LocalActionOutcome(LocalStatus.Succeeded,
                $"emulated: Cache not found for input keys: {string.Join(", ", restoreKeys.Prepend(key))}"), state);
        }
        var outcome = new LocalActionOutcome(LocalStatus.Succeeded, Flag(with, "lookup-only")
            ? $"emulated: Cache found and can be restored from key: {entry.Key}"
            : $"emulated: Cache restored from key: {entry.Key} ({RestoreFiles(entry.Folder, resolved)} file(s))");
        outcome.Outputs["cache-hit"] = IsExact(key, entry.Key) ? "true" : "false";
        return (outcome, state);
    }

    /// <summary>Runs the post step for a job that succeeded; returns the line saying what was saved or why not.</summary>
    public string Save(Restored state)
    {
        if (state.MatchedKey is { } matched && IsExact(state.Key, matched))
            return $"Cache hit occurred on the primary key {state.Key}, not saving cache.";
        var existing = state.Resolved.Select((path, i) => (path, i)).Where(p => File.Exists(p.path) || System.IO.Directory.Exists(p.path))
            .ToList();
        if (existing.Count == 0)
            return "Warning: Path Validation Error: Path(s) specified in the action for caching do(es) not exist, " +
                "hence no cache is being saved.";
        System.IO.Directory.CreateDirectory(Directory);
        var staging = System.IO.Directory.CreateDirectory(Path.Combine(Directory, ".saving-" + Guid.NewGuid().ToString("N"))).FullName;
        var files = 0;
        foreach (var (path, i) in existing)
            files += Copy(path, Path.Combine(staging, "paths", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        File.WriteAllLines(Path.Combine(staging, "entry"),
            [state.Key, state.Version, DateTime.UtcNow.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var target = Path.Combine(Directory, FolderName(state.Key, state.Version));
        try { System.IO.Directory.Move(staging, target); }
        catch (IOException) when (System.IO.Directory.Exists(target))
        {
            // Legs of one run that all missed race to save; the first one's entry stays, as on GitHub.
            System.IO.Directory.Delete(staging, recursive: true);
            return $"Warning: Failed to save: Unable to reserve cache with key {state.Key}, another job may be creating this cache.";
        }
        return $"Cache saved with key: {state.Key} ({files} file(s)).";
    }

    sealed record Entry(string Key, string Folder, long Created);

    Entry? Find(string version, IReadOnlyList<string> keys)
    {
        if (!System.IO.Directory.Exists(Directory)) return null;
        var entries = System.IO.Directory.GetDirectories(Directory)
            .Select(folder =>
                (folder, lines: File.Exists(Path.Combine(folder, "entry")) ? File.ReadAllLines(Path.Combine(folder, "entry")) : []))
            .Where(e => e.lines.Length == 3 && e.lines[1] == version)
            .Select(e => new Entry(e.lines[0], e.folder, long.Parse(e.lines[2], System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
        if (entries.FirstOrDefault(e => IsExact(keys[0], e.Key)) is { } exact) return exact;
        return keys.Select(k => entries.Where(e => e.Key.StartsWith(k, StringComparison.Ordinal)).MaxBy(e => e.Created))
            .FirstOrDefault(e => e is not null);
    }

    // isExactKeyMatch: localeCompare with sensitivity "accent", so case does not count.
    static bool IsExact(string key, string other) => string.Equals(key, other, StringComparison.OrdinalIgnoreCase);

    static List<string> Lines(IReadOnlyDictionary<string, string> with, string name) =>
        (with.GetValueOrDefault(name) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    static bool Flag(IReadOnlyDictionary<string, string> with, string name) =>
        with.GetValueOrDefault(name)?.Trim().ToLowerInvariant() == "true";

    // ~ is the runner's home; other relative paths are under the workspace. Globs need @actions/glob's rules, not copied here.
    static string Resolve(string path, string workspace, string home)
    {
        if (path.StartsWith('!') || path.IndexOfAny(['*', '?', '[']) >= 0)
            throw new LocalStepException($"actions/cache path '{path}': wildcard and ! patterns are not emulated here; list the files or " +
                "folders themselves.");
        if (path == "~") return home;
        return path.StartsWith("~/", StringComparison.Ordinal) ? Path.GetFullPath(path[2..], home) : Path.GetFullPath(path, workspace);
    }

    // Readable and reversible for ordinary keys; the entry file holds the key itself.
    static string FolderName(string key, string version)
    {
        var name = Uri.EscapeDataString(key);
        var suffix = "-" + version[..12];
        return name.Length + suffix.Length <= 255 ? name + suffix
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))) + suffix;
    }

    static int RestoreFiles(string folder, IReadOnlyList<string> resolved)
    {
        var files = 0;
        for (var i = 0; i < resolved.Count; i++)
        {
            var source = Path.Combine(folder, "paths", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (File.Exists(source) || System.IO.Directory.Exists(source)) files += Copy(source, resolved[i]);
        }
        return files;
    }

    // Copies a file or a folder tree keeping modes and mtimes, as tar does. A destination file with the same size and
    // mtime is left alone, and others are replaced by rename, so a process reading it (the real ~/.nuget/packages of
    // this machine) never sees a half-written file.
    static int Copy(string source, string destination)
    {
        if (File.Exists(source)) return CopyFile(source, destination) ? 1 : 0;
        var count = 0;
        foreach (var file in System.IO.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            if (CopyFile(file, Path.Combine(destination, Path.GetRelativePath(source, file)))) count++;
        return count;
    }

    static bool CopyFile(string from, string to)
    {
        var info = new FileInfo(from);
        var target = new FileInfo(to);
        if (target.Exists && target.Length == info.Length && target.LastWriteTimeUtc == info.LastWriteTimeUtc) return true;
        System.IO.Directory.CreateDirectory(target.DirectoryName!);
        var temporary = to + ".cache-" + Guid.NewGuid().ToString("N")[..8];
        File.Copy(from, temporary);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, File.GetUnixFileMode(from));
        File.SetLastWriteTimeUtc(temporary, info.LastWriteTimeUtc);
        File.Move(temporary, to, overwrite: true);
        return true;
    }
}
