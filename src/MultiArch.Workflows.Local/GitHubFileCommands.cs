namespace MultiArch.Workflows.Local;

/// <summary>
/// Reads the files steps write through <c>$GITHUB_OUTPUT</c> and <c>$GITHUB_ENV</c>: <c>NAME=value</c> lines and
/// <c>NAME&lt;&lt;DELIMITER</c> multi-line blocks.
/// </summary>
public static class GitHubFileCommands
{
    /// <summary>The name/value pairs in a command file, in order (a missing file has none).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Read(string path)
    {
        var result = new List<KeyValuePair<string, string>>();
        if (!File.Exists(path)) return result;
        var lines = File.ReadAllText(path).Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0) continue;
            var heredoc = line.IndexOf("<<", StringComparison.Ordinal);
            var equals = line.IndexOf('=');
            if (heredoc > 0 && (equals < 0 || heredoc < equals))
            {
                var name = line[..heredoc];
                var delimiter = line[(heredoc + 2)..];
                var end = Array.IndexOf(lines, delimiter, i + 1);
                if (end < 0)
                    throw new WorkflowDefinitionException($"{Path.GetFileName(path)}: '{name}<<{delimiter}' is never closed by a line " +
                        $"'{delimiter}'.");
                result.Add(KeyValuePair.Create(name, string.Join('\n', lines[(i + 1)..end])));
                i = end;
            }
            else if (equals > 0) result.Add(KeyValuePair.Create(line[..equals], line[(equals + 1)..]));
            else throw new WorkflowDefinitionException($"{Path.GetFileName(path)}: line '{line}' is neither NAME=value nor " +
                "NAME<<DELIMITER.");
        }
        return result;
    }
}
