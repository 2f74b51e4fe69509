using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MultiArch.Oci.Tagging;

/// <summary>
/// The Handlebars expressions metadata-action allows in patterns, values, prefixes and suffixes: <c>{{name}}</c>,
/// <c>{{date 'YYYYMMDD' tz='Asia/Tokyo'}}</c>. Only the forms it documents; anything else is refused, not left empty.
/// </summary>
static partial class TagExpressions
{
    /// <summary>One expression: its name, its quoted arguments and its <c>key='value'</c> options.</summary>
    internal sealed record Expression(string Name, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Options);

    /// <summary>Replaces each <c>{{...}}</c> with what <paramref name="resolve"/> gives; null from it means unknown.</summary>
    /// <exception cref="OciInputException">An unknown or malformed expression, named with <paramref name="where"/>.</exception>
    internal static string Render(string template, Func<Expression, string?> resolve, string where, string known)
    {
        if (!template.Contains("{{", StringComparison.Ordinal)) return template;
        var result = new StringBuilder();
        var at = 0;
        foreach (Match m in ExpressionPattern().Matches(template))
        {
            result.Append(template, at, m.Index - at);
            var expression = Parse(m);
            result.Append(resolve(expression)
                ?? throw new OciInputException($"{where}: '{m.Value}' is no expression here: use {known}."));
            at = m.Index + m.Length;
        }
        result.Append(template, at, template.Length - at);
        var text = result.ToString();
        if (text.Contains("{{", StringComparison.Ordinal) || text.Contains("}}", StringComparison.Ordinal))
            throw new OciInputException($"{where}: '{template}' holds a malformed expression: " +
                $"write {{{{name}}}} or {{{{date 'YYYYMMDD' tz='UTC'}}}}.");
        return text;
    }

    /// <summary>The global expressions of metadata-action's "Global expressions" section.</summary>
    internal static string? Global(Expression e, TagContext context, string where) => e.Name switch
    {
        "branch" => context.Branch ?? "",
        "tag" => context.GitTag ?? "",
        "sha" => context.ShortSha ?? "",
        "base_ref" => context.Ref is GitRef.PullRequest or GitRef.Tag ? context.BaseRef ?? "" : "",
        "is_default_branch" => context.IsDefaultBranch ? "true" : "false",
        "is_not_default_branch" => context.IsDefaultBranch ? "false" : "true",
        "date" => Date(e, context.Now, where),
        "commit_date" => Date(e, context.CommitDate ?? context.Now, where),
        _ => null,
    };

    /// <summary>What the global expressions are, for messages.</summary>
    internal const string GlobalNames = "{{branch}}, {{tag}}, {{sha}}, {{base_ref}}, {{is_default_branch}}, " +
        "{{is_not_default_branch}}, {{date '<format>'}} or {{commit_date '<format>'}}";

    static string Date(Expression e, DateTimeOffset instant, string where)
    {
        if (e.Arguments is not [var format])
            throw new OciInputException($"{where}: {{{{{e.Name}}}}} takes one quoted moment format, e.g. {{{{{e.Name} 'YYYYMMDD'}}}}.");
        var zone = TimeZoneInfo.Utc;
        foreach (var (key, value) in e.Options)
        {
            if (key != "tz")
                throw new OciInputException($"{where}: {{{{{e.Name}}}}} has no option '{key}': only tz='<IANA zone>' is known.");
            try { zone = TimeZoneInfo.FindSystemTimeZoneById(value); }
            catch (TimeZoneNotFoundException) { throw new OciInputException($"{where}: time zone '{value}' is unknown: " +
                "pass an IANA name such as Europe/Berlin or UTC."); }
        }
        return Moment(TimeZoneInfo.ConvertTime(instant, zone), format, where);
    }

    /// <summary>
    /// Renders moment.js format tokens (the ones dates in tags use): years, months, days, weekdays, hours, minutes,
    /// seconds, milliseconds, am/pm and <c>[literal]</c> text. Other letters are refused rather than guessed.
    /// </summary>
    internal static string Moment(DateTimeOffset t, string format, string where)
    {
        var c = CultureInfo.InvariantCulture;
        var result = new StringBuilder();
        var i = 0;
        while (i < format.Length)
        {
            if (format[i] == '[')
            {
                var end = format.IndexOf(']', i);
                if (end < 0) throw new OciInputException($"{where}: date format '{format}' opens '[' without ']': close the literal text.");
                result.Append(format, i + 1, end - i - 1);
                i = end + 1;
                continue;
            }
            if (!char.IsAsciiLetter(format[i])) { result.Append(format[i++]); continue; }
            var token = MomentTokens.FirstOrDefault(k => string.CompareOrdinal(format, i, k, 0, k.Length) == 0)
                ?? throw new OciInputException($"{where}: date format '{format}' has '{format[i]}' at {i}, " +
                    "no moment token known here: use YYYY, MM, DD, HH, mm, ss (or [text] for letters).");
            var hour12 = t.Hour % 12 == 0 ? 12 : t.Hour % 12;
            result.Append(token switch
            {
                "YYYY" => t.Year.ToString("0000", c),
                "YY" => (t.Year % 100).ToString("00", c),
                "MMMM" => t.ToString("MMMM", c),
                "MMM" => t.ToString("MMM", c),
                "MM" => t.Month.ToString("00", c),
                "M" => t.Month.ToString(c),
                "Do" => t.Day + Ordinal(t.Day),
                "DD" => t.Day.ToString("00", c),
                "D" => t.Day.ToString(c),
                "dddd" => t.ToString("dddd", c),
                "ddd" => t.ToString("ddd", c),
                "HH" => t.Hour.ToString("00", c),
                "H" => t.Hour.ToString(c),
                "hh" => hour12.ToString("00", c),
                "h" => hour12.ToString(c),
                "mm" => t.Minute.ToString("00", c),
                "m" => t.Minute.ToString(c),
                "ss" => t.Second.ToString("00", c),
                "s" => t.Second.ToString(c),
                "SSS" => t.Millisecond.ToString("000", c),
                "A" => t.Hour < 12 ? "AM" : "PM",
                "a" => t.Hour < 12 ? "am" : "pm",
                _ => throw new InvalidOperationException(token),
            });
            i += token.Length;
        }
        return result.ToString();
    }

    // Longest first, so YYYY is not read as two YY.
    static readonly string[] MomentTokens = ["YYYY", "YY", "MMMM", "MMM", "MM", "M", "Do", "DD", "D", "dddd", "ddd", "HH", "H", "hh",
        "h", "mm", "m", "ss", "s", "SSS", "A", "a"];

    static string Ordinal(int day) => (day % 100) is 11 or 12 or 13 ? "th"
        : (day % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" };

    static Expression Parse(Match m)
    {
        var arguments = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Capture part in m.Groups["part"].Captures)
        {
            var text = part.Value;
            if (text.IndexOf('=') is var eq and > 0 && text[0] is not ('\'' or '"')) options[text[..eq]] = Unquote(text[(eq + 1)..]);
            else arguments.Add(Unquote(text));
        }
        return new Expression(m.Groups["name"].Value, arguments, options);
    }

    static string Unquote(string text) => text.Length >= 2 ? text[1..^1] : text;

    [GeneratedRegex("""\{\{\s*(?<name>[A-Za-z_]+)(?:\s+(?<part>'[^']*'|"[^"]*"|[A-Za-z_]+=(?:'[^']*'|"[^"]*")))*\s*\}\}""")]
    private static partial Regex ExpressionPattern();
}
