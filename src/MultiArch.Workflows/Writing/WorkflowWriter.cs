using MultiArch.Build;

namespace MultiArch.Workflows;

/// <summary>
/// Writes generated workflows to <c>.github/workflows/&lt;file&gt;.yml</c> (only files whose text changed) and
/// checks committed ones against what the definitions generate, telling hand edits from changed definitions by the
/// content hash each generated file carries (<see cref="WorkflowContentHash"/>).
/// </summary>
public static class WorkflowWriter
{
    /// <summary>The folder under the root that holds workflows.</summary>
    public const string Folder = ".github/workflows";

    /// <summary>Generates every definition in memory: file path (relative to the root) to YAML text. Nothing is written.</summary>
    public static IReadOnlyList<(string Path, string Text)> Generate(TargetGraph graph, IEnumerable<WorkflowDefinition> definitions,
        string? source = null)
    {
        var list = definitions.ToList();
        var duplicate = list.GroupBy(d => d.FileName, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new WorkflowDefinitionException($"Two workflow definitions write '{duplicate.Key}.yml'; give each its own file name.");
        // Everything is generated before anything is written, so a bad definition leaves no half-written folder.
        return list.Select(d => ($"{Folder}/{d.FileName}.yml", WorkflowRenderer.Render(JobGraphBuilder.Build(d, graph), source))).ToList();
    }

    /// <summary>Every generated workflow with how its committed file stands (nothing is written).</summary>
    public static IReadOnlyList<WorkflowFile> Compare(string root, TargetGraph graph, IEnumerable<WorkflowDefinition> definitions,
        string? source = null) =>
        Generate(graph, definitions, source).Select(g => new WorkflowFile(g.Path, g.Text, StateOf(Path.Combine(root, g.Path), g.Text)))
            .ToList();

    static WorkflowFileState StateOf(string full, string generated)
    {
        if (!File.Exists(full)) return WorkflowFileState.Missing;
        var committed = File.ReadAllText(full);
        if (committed == generated) return WorkflowFileState.Current;
        return WorkflowContentHash.Matches(committed) switch
        {
            true => WorkflowFileState.DefinitionsChanged,
            false => WorkflowFileState.HandEdited,
            null => WorkflowFileState.Unstamped,
        };
    }

    /// <summary>Writes <paramref name="files"/> that are not current; returns those written.</summary>
    public static IReadOnlyList<WorkflowFile> Write(string root, IEnumerable<WorkflowFile> files)
    {
        var written = files.Where(f => f.State != WorkflowFileState.Current).ToList();
        foreach (var file in written)
        {
            var full = Path.Combine(root, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, file.Text);
        }
        return written;
    }

    /// <summary>
    /// Writes the workflows whose text changed, hand edits included; returns the paths written (empty when all were current).
    /// </summary>
    public static IReadOnlyList<string> Write(string root, TargetGraph graph, IEnumerable<WorkflowDefinition> definitions,
        string? source = null) =>
        Write(root, Compare(root, graph, definitions, source)).Select(f => f.Path).ToList();

    /// <summary>
    /// The workflows whose committed text differs from what the definitions generate (missing files included), each with a short diff.
    /// </summary>
    public static IReadOnlyList<WorkflowDifference> Check(string root, TargetGraph graph, IEnumerable<WorkflowDefinition> definitions,
        string? source = null)
    {
        var differences = new List<WorkflowDifference>();
        foreach (var (path, expected) in Generate(graph, definitions, source))
        {
            var full = Path.Combine(root, path);
            var actual = File.Exists(full) ? File.ReadAllText(full) : null;
            if (actual != expected)
                differences.Add(new WorkflowDifference(path,
                    actual is null ? "missing (never generated)" : LineDiff.Short(actual, expected)));
        }
        return differences;
    }
}
