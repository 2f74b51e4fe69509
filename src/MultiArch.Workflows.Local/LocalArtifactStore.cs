using System.Text.RegularExpressions;

namespace MultiArch.Workflows.Local;

/// <summary>
/// Emulates <c>actions/upload-artifact@v6</c> and <c>actions/download-artifact@v7</c> in a folder: one sub-folder per
/// artifact name; a name that exists fails the upload (GitHub answers 409) unless <c>overwrite: true</c>, which a
/// re-run of the same leg needs; two legs of one run uploading one name fail even with overwrite (the later would
/// silently replace the earlier); hidden files are left out unless <c>include-hidden-files: true</c> (action.yml v6.0.0);
/// <c>if-no-files-found</c>, <c>pattern</c> and <c>merge-multiple</c> as documented. The folder may outlive a run, so a
/// second run over the same work directory is a re-run.
/// </summary>
public sealed class LocalArtifactStore(string directory)
{
    readonly Dictionary<string, string> _uploadedThisRun = new(StringComparer.Ordinal); // name -> uploading leg
    /// <summary>The folder holding one folder per artifact.</summary>
    public string Directory { get; } = directory;

    /// <summary>Names of the artifacts uploaded so far.</summary>
    public IReadOnlyList<string> Names => System.IO.Directory.Exists(Directory)
        ? System.IO.Directory.GetDirectories(Directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
        : [];

    /// <summary>Runs an upload with the step's (already substituted) inputs; returns a line describing what happened.</summary>
    public string Upload(IReadOnlyDictionary<string, string> with, string workspace, string uploader = "")
    {
        var name = with.GetValueOrDefault("name") is { Length: > 0 } n ? n : "artifact";
        var paths = (with.GetValueOrDefault("path")
            ?? throw new WorkflowDefinitionException($"upload-artifact '{name}' has no path input; add with.path."))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var files = new List<(string Root, string File)>();
        foreach (var path in paths) files.AddRange(Match(Path.GetFullPath(path, workspace)));
        var hidden = with.GetValueOrDefault("include-hidden-files") == "true" ? 0 : files.RemoveAll(f => IsHidden(f.Root, f.File));
        var target = Path.Combine(Directory, name);
        if (files.Count == 0)
        {
            var mode = with.GetValueOrDefault("if-no-files-found") ?? "warn";
            var message = $"upload-artifact '{name}': no files found at {string.Join(", ", paths)}";
            return mode switch
            {
                "error" => throw new LocalStepException(message + " (if-no-files-found: error)."),
                _ => message + "; nothing uploaded.",
            };
        }
        lock (_uploadedThisRun)
        {
            if (_uploadedThisRun.TryGetValue(name, out var other) && other != uploader)
                throw new LocalStepException($"upload-artifact '{name}' already exists in this run (uploaded by {other}); two legs must " +
                    "not share a name: with overwrite the later silently replaces the earlier. Give each leg its own name.");
            if (System.IO.Directory.Exists(target))
            {
                if (with.GetValueOrDefault("overwrite") != "true")
                    throw new LocalStepException($"upload-artifact '{name}' already exists in this run; artifact names are immutable " +
                        "(GitHub answers 409 Conflict, as on \"Re-run all jobs\"): set overwrite: true.");
                System.IO.Directory.Delete(target, recursive: true);
            }
            _uploadedThisRun[name] = uploader;
        }
        // Like upload-artifact, paths inside the artifact are relative to the least common ancestor of the inputs.
        var root = files.Select(f => f.Root).Aggregate(CommonAncestor);
        foreach (var (_, file) in files)
        {
            var destination = Path.Combine(target, Path.GetRelativePath(root, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
        return $"Uploaded artifact '{name}' ({files.Count} file(s){(hidden > 0 ? $"; {hidden} hidden file(s) left out" : "")}).";
    }

    /// <summary>Runs a download with the step's (already substituted) inputs; returns a line describing what happened.</summary>
    public string Download(IReadOnlyDictionary<string, string> with, string workspace)
    {
        var destination = Path.GetFullPath(with.GetValueOrDefault("path") is { Length: > 0 } p ? p : ".", workspace);
        string[] chosen;
        var single = with.GetValueOrDefault("name") is { Length: > 0 } name ? name : null;
        if (single is not null)
        {
            if (!Names.Contains(single))
                throw new LocalStepException($"download-artifact: no artifact named '{single}' was uploaded earlier in this run " +
                    $"(uploaded: {string.Join(", ", Names)}).");
            chosen = [single];
        }
        else
        {
            var pattern = GlobRegex(with.GetValueOrDefault("pattern") is { Length: > 0 } g ? g : "*");
            chosen = Names.Where(n => pattern.IsMatch(n)).ToArray();
        }
        // A single named artifact, or merge-multiple, lands directly in the path; otherwise each gets its own folder.
        var merge = single is not null || with.GetValueOrDefault("merge-multiple") == "true";
        foreach (var artifact in chosen)
            CopyTree(Path.Combine(Directory, artifact), merge ? destination : Path.Combine(destination, artifact));
        return chosen.Length == 0
            ? $"download-artifact: no artifact matched '{with.GetValueOrDefault("pattern")}'; nothing downloaded."
            : $"Downloaded {string.Join(", ", chosen)} to {destination}.";
    }

    static IEnumerable<(string Root, string File)> Match(string path)
    {
        var wildcard = path.IndexOfAny(['*', '?']);
        if (wildcard < 0)
        {
            if (File.Exists(path)) return [(Path.GetDirectoryName(path)!, path)];
            if (System.IO.Directory.Exists(path))
                return System.IO.Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                    .Select(f => (path, f));
            return [];
        }
        var root = path[..wildcard].EndsWith('/') ? path[..wildcard].TrimEnd('/') : Path.GetDirectoryName(path[..wildcard])!;
        if (!System.IO.Directory.Exists(root)) return [];
        var regex = GlobRegex(Path.GetRelativePath(root, path));
        return System.IO.Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => regex.IsMatch(Path.GetRelativePath(root, f)))
            .Order(StringComparer.Ordinal)
            .Select(f => (root, f));
    }

    // A file or folder whose name starts with a dot, below the upload's root.
    static bool IsHidden(string root, string file) =>
        Path.GetRelativePath(root, file).Split('/').Any(segment => segment.StartsWith('.') && segment is not "." and not "..");

    static Regex GlobRegex(string glob) => new("^" + Regex.Escape(glob)
        .Replace(@"\*\*/", "(.*/)?").Replace(@"\*\*", ".*").Replace(@"\*", "[^/]*").Replace(@"\?", "[^/]") + "$");

    static string CommonAncestor(string a, string b)
    {
        var x = a.Split('/');
        var y = b.Split('/');
        var n = 0;
        while (n < x.Length && n < y.Length && x[n] == y[n]) n++;
        return n <= 1 ? "/" : string.Join('/', x[..n]);
    }

    static void CopyTree(string source, string destination)
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
