using System.Text.RegularExpressions;
using YamlDotNet.Core;

namespace MultiArch.Workflows;

/// <summary>
/// Picks how a string is written so that every YAML reader (1.1 or 1.2) reads back exactly the same text:
/// multi-line text as a literal block, anything that could read as a boolean, number, null, alias or
/// expression in quotes, and the rest plain.
/// </summary>
static partial class YamlScalarStyle
{
    /// <summary>The style for a string value or key.</summary>
    public static ScalarStyle For(string text)
    {
        if (text.Contains('\n')) return ScalarStyle.Literal;
        // These read back as the same text in every YAML version, and GitHub converts them to the same string.
        if (text is "true" or "false" || CanonicalInteger().IsMatch(text)) return ScalarStyle.Plain;
        if (!NeedsQuotes(text)) return ScalarStyle.Any;
        return text.Contains('\'') && !text.Contains('"') && !text.Contains('\\') ? ScalarStyle.DoubleQuoted : ScalarStyle.SingleQuoted;
    }

    static bool NeedsQuotes(string text) =>
        text.Length == 0
        || text.Contains("${{", StringComparison.Ordinal)
        || text.Contains('*')
        || text.Contains(": ", StringComparison.Ordinal)
        || text.Contains(" #", StringComparison.Ordinal)
        || text != text.Trim()
        || "-?:,[]{}#&*!|>'\"%@`".Contains(text[0])
        || Yaml11Special().IsMatch(text)
        || NumberLike().IsMatch(text);

    [GeneratedRegex("^(0|[1-9][0-9]*)$")]
    private static partial Regex CanonicalInteger();

    // YAML 1.1 booleans and nulls: `on`, `yes`, `off` and friends turn into true/false in older readers.
    [GeneratedRegex("^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$")]
    private static partial Regex Yaml11Special();

    [GeneratedRegex(@"^[-+]?(\.?[0-9]|\.(inf|Inf|INF|nan|NaN|NAN)$)")]
    private static partial Regex NumberLike();
}
