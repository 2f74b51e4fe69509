using System.Text;

namespace MultiArch.Workflows;

/// <summary>A short line diff for check-mode messages: the differing middle of two texts, with a little context.</summary>
static class LineDiff
{
    /// <summary>Lines that differ between <paramref name="before"/> and <paramref name="after"/>, at most <paramref name="maxLines"/> of them.</summary>
    public static string Short(string before, string after, int maxLines = 20)
    {
        var a = before.Replace("\r\n", "\n").Split('\n');
        var b = after.Replace("\r\n", "\n").Split('\n');
        // Common prefix and suffix are equal; everything between is reported as removed then added.
        var start = 0;
        while (start < a.Length && start < b.Length && a[start] == b[start]) start++;
        int endA = a.Length, endB = b.Length;
        while (endA > start && endB > start && a[endA - 1] == b[endB - 1]) { endA--; endB--; }
        var lines = new List<string> { $"@@ line {start + 1} @@" };
        if (start > 0) lines.Add("  " + a[start - 1]);
        lines.AddRange(a[start..endA].Select(l => "- " + l));
        lines.AddRange(b[start..endB].Select(l => "+ " + l));
        var text = new StringBuilder();
        foreach (var line in lines.Take(maxLines)) text.AppendLine(line);
        if (lines.Count > maxLines) text.AppendLine($"  ... {lines.Count - maxLines} more line(s)");
        return text.ToString().TrimEnd('\n');
    }
}
