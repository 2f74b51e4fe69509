using System.Security.Cryptography;
using System.Text;

namespace MultiArch.Workflows;

/// <summary>
/// The line under a generated workflow's header: a SHA-256 of everything below it. A committed file whose hash still
/// matches is untouched generator output, so a difference from what the definitions generate now means the
/// definitions changed; a file whose hash no longer matches was edited by hand.
/// </summary>
public static class WorkflowContentHash
{
    const string Prefix = "# content-sha256: ";
    const int HexLength = 64;

    /// <summary>The hash line for <paramref name="body"/>, the text that will follow it.</summary>
    public static string Line(string body) => $"{Prefix}{Of(body)} (of the lines below)";

    /// <summary>
    /// True when <paramref name="text"/> carries a hash line matching what follows it, false when it carries one that does not, null when
    /// it carries none.
    /// </summary>
    public static bool? Matches(string text)
    {
        var start = text.StartsWith(Prefix, StringComparison.Ordinal) ? 0
            : text.IndexOf("\n" + Prefix, StringComparison.Ordinal) is var at and >= 0 ? at + 1 : -1;
        if (start < 0) return null;
        var end = text.IndexOf('\n', start);
        if (end < 0) return false;
        var line = text[start..end];
        return line.Length >= Prefix.Length + HexLength && line.Substring(Prefix.Length, HexLength) == Of(text[(end + 1)..]);
    }

    static string Of(string body) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
}
