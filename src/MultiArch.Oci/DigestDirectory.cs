using System.Text.Json;

namespace MultiArch.Oci;

/// <summary>
/// The digest hand-off directory between per-platform jobs and the merge job. Two formats are read:
/// our JSON records (<c>&lt;pair&gt;.json</c>, one per platform) and Docker's multi-runner recipe
/// (an empty file per image named by the digest's hex). Subdirectories (one per downloaded artifact) are read too.
/// </summary>
public static class DigestDirectory
{
    private const string Extension = ".json";

    /// <summary>
    /// Writes one platform's record atomically (temp file, then rename), so a reader never sees half a record
    /// and an interrupted job leaves nothing behind but a hidden temp file that readers ignore.
    /// </summary>
    /// <returns>The path written.</returns>
    public static string Write(string directory, DigestRecord record)
    {
        if (record.Platform is null || record.Repository is null)
            throw new ArgumentException("A record to write needs its repository and platform.", nameof(record));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, record.Platform.Pair + Extension);
        var temp = Path.Combine(directory, $".{record.Platform.Pair}.{Guid.NewGuid():N}.tmp");
        var json = JsonSerializer.SerializeToUtf8Bytes(new RecordJson
        {
            Repository = record.Repository.Name, Digest = record.Digest.ToString(), Platform = record.Platform.ToString(),
            Tag = record.Tag, MediaType = record.MediaType, Size = record.Size,
        }, RecordJsonContext.Default.RecordJson);
        using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        {
            stream.Write(json);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        return path;
    }

    /// <summary>
    /// Reads every record in the directory (and its subdirectories), in a stable order. Links are not followed out of
    /// the folder: a link whose target lies outside it, a link loop or a dangling link is refused; a link to a file
    /// inside it is read. A file is opened only when it has content, so a FIFO named like a record cannot block.
    /// </summary>
    /// <exception cref="OciInputException">The directory is missing or empty, or a file is not a valid record.</exception>
    public static IReadOnlyList<DigestRecord> Read(string directory)
    {
        if (File.Exists(directory))
            throw new OciInputException(
                $"Digests directory '{directory}' is a file, not a folder: " +
                "pass the folder that holds the digest records (--digests-directory).");
        if (!Directory.Exists(directory))
            throw new OciInputException(
                $"Digests directory '{directory}' does not exist: run ExportDigest first or pass --digests-directory.");
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var realRoot = new DirectoryInfo(root).ResolveLinkTarget(returnFinalTarget: true)?.FullName is { } resolved
            ? Path.TrimEndingDirectorySeparator(resolved) : root;
        var files = new List<string>();
        Collect(root, root, realRoot, files);
        var records = new List<DigestRecord>();
        foreach (var path in files.Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (name.Contains('\\') || name.Contains(':'))
                throw new OciInputException($"Digest file '{path}' has a path separator or ':' in its name: " +
                    "name it by the digest's hex only.");
            if (name.StartsWith('.')) continue; // our temp files, .DS_Store and friends
            records.Add(ReadFile(path, name));
        }
        if (records.Count == 0)
            throw new OciInputException(
                $"Digests directory '{directory}' has no digest records: run ExportDigest for each platform, " +
                "or download the digests-* artifacts into it.");
        return records;
    }

    // Walks real subfolders only; a link is checked, never descended into.
    private static void Collect(string folder, string root, string realRoot, List<string> files)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = false,
            ReturnSpecialDirectories = false };
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", options))
        {
            if (entry.LinkTarget is not null)
            {
                if (CheckLink(entry, root, realRoot)) files.Add(entry.FullName);
                continue;
            }
            if (entry is DirectoryInfo) Collect(entry.FullName, root, realRoot, files);
            else files.Add(entry.FullName);
        }
    }

    // True: a link to a file inside the folder (read it). False: a link to a folder inside it that is no loop (its
    // target is read where it really is). Anything else is refused with one line.
    private static bool CheckLink(FileSystemInfo link, string root, string realRoot)
    {
        FileSystemInfo? target;
        try { target = link.ResolveLinkTarget(returnFinalTarget: true); }
        catch (IOException)
        {
            throw new OciInputException($"Digest folder entry '{link.FullName}' is a link loop (it never reaches a file or " +
                "folder): remove the link.");
        }
        if (target is null || !target.Exists)
            throw new OciInputException($"Digest folder entry '{link.FullName}' is a link to " +
                $"'{target?.FullName ?? link.LinkTarget}', which does not exist: remove the link.");
        var full = Path.TrimEndingDirectorySeparator(target.FullName);
        if (!IsInside(full, root) && !IsInside(full, realRoot))
            throw new OciInputException(
                $"Digest folder entry '{link.FullName}' is a link to '{full}', outside '{root}': " +
                "links are not followed out of the digests folder; copy the record in instead.");
        if (target is not DirectoryInfo) return true;
        var parent = Path.TrimEndingDirectorySeparator(Path.GetDirectoryName(link.FullName)!);
        if (IsInside(parent, full) || IsInside(link.FullName, full))
            throw new OciInputException($"Digest folder entry '{link.FullName}' is a link to '{full}', " +
                "which holds the link itself: a link loop; remove the link.");
        return false;
    }

    private static bool IsInside(string path, string folder) =>
        path.Equals(folder, StringComparison.Ordinal) || path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static DigestRecord ReadFile(string path, string name)
    {
        if (name.EndsWith(Extension, StringComparison.Ordinal)) return ReadJson(path);
        if (!Digest.TryParseSha256Hex(name, out var digest))
            throw new OciInputException(
                $"Digest file '{path}' is not named by a digest: expected 64 lower-case hex characters (Docker's recipe) " +
                "or <platform>.json.");
        if (new FileInfo(path).Length != 0)
            throw new OciInputException($"Digest file '{path}' should be empty (Docker's recipe format): " +
                "the digest is its name; remove its content.");
        return new DigestRecord(null, digest, null) { Source = path };
    }

    private static DigestRecord ReadJson(string path)
    {
        RecordJson? json;
        // Not opened when it has no content: opening a FIFO (which reports 0 bytes, like any non-regular file) blocks.
        if (new FileInfo(path).Length == 0)
            throw new OciInputException($"Digest record '{path}' is empty (0 bytes, or not a regular file): " +
                "run ExportDigest again for this platform.");
        try
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length == 0)
                throw new OciInputException($"Digest record '{path}' is empty: run ExportDigest again for this platform.");
            json = JsonSerializer.Deserialize(bytes, RecordJsonContext.Default.RecordJson);
        }
        catch (JsonException e)
        {
            throw new OciInputException(
                $"Digest record '{path}' is not valid JSON (line {e.LineNumber + 1}, column {e.BytePositionInLine + 1}): " +
                "run ExportDigest again for this platform.");
        }
        if (json is null || string.IsNullOrEmpty(json.Digest) || string.IsNullOrEmpty(json.Platform)
            || string.IsNullOrEmpty(json.Repository))
            throw new OciInputException($"Digest record '{path}' lacks repository, digest or platform: " +
                "run ExportDigest again for this platform.");
        if (!Digest.TryParse(json.Digest, out var digest))
            throw new OciInputException($"Digest record '{path}' has digest '{json.Digest}', which is not sha256:<64 hex>: " +
                "run ExportDigest again.");
        if (!Platform.TryParse(json.Platform, out var platform))
            throw new OciInputException($"Digest record '{path}' has platform '{json.Platform}', " +
                "which is not os/arch[/variant]: run ExportDigest again.");
        if (!ImageReference.TryParse(json.Repository, out var repository) || repository.Tag is not null || repository.Digest is not null)
            throw new OciInputException($"Digest record '{path}' has repository '{json.Repository}', " +
                "which is not registry/repository: run ExportDigest again.");
        return new DigestRecord(repository, digest, platform, json.Tag, json.MediaType, json.Size) { Source = path };
    }
}

/// <summary>The on-disk shape of a digest record.</summary>
internal sealed class RecordJson
{
    public string? Repository { get; set; }
    public string? Digest { get; set; }
    public string? Platform { get; set; }
    public string? Tag { get; set; }
    public string? MediaType { get; set; }
    public long? Size { get; set; }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(
    PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
[System.Text.Json.Serialization.JsonSerializable(typeof(RecordJson))]
internal sealed partial class RecordJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
