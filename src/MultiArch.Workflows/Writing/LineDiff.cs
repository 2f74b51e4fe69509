using System.Text;

namespace MultiArch.Workflows;

/// <summary>A short line diff for check-mode messages: each changed run of lines with its line number.</summary>
static class LineDiff
{
    /// <summary>
    /// The changed lines between <paramref name="before"/> and <paramref name="after"/>, at most <paramref name="maxLines"/> of them.
    /// </summary>
    public static string Short(string before, string after, int maxLines = 20)
    {
        var a = before.Replace("\r\n", "\n").Split('\n');
        var b = after.Replace("\r\n", "\n").Split('\n');
        // Longest common subsequence over lines; workflows are a few hundred lines, so the table stays small.
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
            for (var j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        var lines = new List<string>();
        var inHunk = false;
        for (int i = 0, j = 0; i < a.Length || j < b.Length;)
        {
            if (i < a.Length && j < b.Length && a[i] == b[j]) { i++; j++; inHunk = false; continue; }
            if (!inHunk) { lines.Add($"@@ line {j + 1} @@"); inHunk = true; }
            if (i < a.Length && (j == b.Length || lcs[i + 1, j] >= lcs[i, j + 1])) lines.Add("- " + a[i++]);
            else lines.Add("+ " + b[j++]);
        }
        var text = new StringBuilder();
        foreach (var line in lines.Take(maxLines)) text.AppendLine(line);
        if (lines.Count > maxLines) text.AppendLine($"  ... {lines.Count - maxLines} more line(s)");
        return text.ToString().TrimEnd('\n');
    }
}
