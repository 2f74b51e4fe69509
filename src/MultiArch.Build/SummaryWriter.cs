using System.Text;

namespace MultiArch.Build;

/// <summary>Renders the end-of-run table as text (the console) and as Markdown (GitHub's job summary).</summary>
public static class SummaryWriter
{
    /// <summary>The plain-text table with a closing verdict line.</summary>
    public static string Text(IReadOnlyList<TargetRun> runs, IEnumerable<string> notes)
    {
        // Long notes (failure messages) were printed in full above; the table keeps one readable line each.
        var rows = runs.Select(r =>
            new[] { r.Target.Name, r.Partition?.Key ?? "-", r.Status.ToString(), Duration(r), Shorten(r.Note ?? "", 70) }).ToList();
        string[] header = ["Target", "Partition", "Status", "Duration", "Note"];
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder("\n");
        void Line(string[] cells) => text.AppendLine(string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        Line(header);
        text.AppendLine(new string('─', widths.Sum() + 2 * (widths.Length - 1)));
        foreach (var row in rows) Line(row);
        text.AppendLine();
        // The verdict first and the notes last: a note is what the user came for (the published reference, the test
        // counts), and CI reads a test run's closing line.
        text.AppendLine(Verdict(runs));
        foreach (var note in notes) text.AppendLine(note);
        return text.ToString();
    }

    /// <summary>The same table in GitHub-flavoured Markdown.</summary>
    public static string Markdown(IReadOnlyList<TargetRun> runs, IEnumerable<string> notes)
    {
        var text = new StringBuilder("| Target | Partition | Status | Duration | Note |\n|---|---|---|---|---|\n");
        foreach (var r in runs)
            text.AppendLine($"| {r.Target.Name} | {r.Partition?.Key ?? "-"} | {r.Status} | {Duration(r)} "
                + $"| {(r.Note ?? "").Replace("|", "\\|")} |");
        text.AppendLine();
        foreach (var note in notes) text.AppendLine(note + "  ");
        text.AppendLine($"**{Verdict(runs)}**");
        return text.ToString();
    }

    /// <summary>Whether the run counts as a failure (any Failed or Aborted row).</summary>
    public static bool Failed(IReadOnlyList<TargetRun> runs) => runs.Any(r => r.Status is TargetStatus.Failed or TargetStatus.Aborted);

    static string Verdict(IReadOnlyList<TargetRun> runs)
    {
        if (runs.Any(r => r.Status == TargetStatus.Aborted)) return "Build aborted.";
        var failed = runs.Where(r => r.Status == TargetStatus.Failed).Select(r => r.Title).ToList();
        return failed.Count == 0 ? "Build succeeded." : $"Build failed: {string.Join(", ", failed)}.";
    }

    static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    static string Duration(TargetRun r) => r.Status is TargetStatus.Succeeded or TargetStatus.Failed or TargetStatus.Aborted
        ? (r.Duration.TotalHours >= 1 ? r.Duration.ToString(@"h\:mm\:ss") : r.Duration.ToString(@"m\:ss\.f"))
        : "";
}
