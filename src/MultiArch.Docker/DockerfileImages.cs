using System.Text.RegularExpressions;

namespace MultiArch.Docker;

/// <summary>
/// The external images a Dockerfile starts from: each <c>FROM</c> (and <c>COPY --from=</c>) that names an image
/// rather than an earlier stage or <c>scratch</c>, with <c>ARG</c>s before the first <c>FROM</c> substituted as the
/// builder substitutes them (build arguments override their defaults). Only what decides the input digest is read:
/// this is not a Dockerfile parser.
/// </summary>
public static partial class DockerfileImages
{
    /// <summary>The image references, in order of appearance, each once.</summary>
    public static IReadOnlyList<string> Read(string dockerfileText, IReadOnlyDictionary<string, string> buildArgs)
    {
        var globals = new Dictionary<string, string>(StringComparer.Ordinal);
        var stages = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var images = new List<string>();
        var seenFrom = false;
        foreach (var line in Instructions(dockerfileText))
        {
            var words = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 2) continue;
            var keyword = words[0].ToUpperInvariant();
            if (keyword == "ARG" && !seenFrom)
            {
                foreach (var declaration in words[1..])
                {
                    var eq = declaration.IndexOf('=');
                    var name = eq < 0 ? declaration : declaration[..eq];
                    var fallback = eq < 0 ? null : Unquote(Substitute(declaration[(eq + 1)..], globals));
                    if (buildArgs.TryGetValue(name, out var given)) globals[name] = given;
                    else if (fallback is not null) globals[name] = fallback;
                }
            }
            else if (keyword == "FROM")
            {
                seenFrom = true;
                var rest = words[1..].Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
                if (rest.Count == 0) continue;
                var image = Substitute(rest[0], globals);
                if (!image.Equals("scratch", StringComparison.OrdinalIgnoreCase) && !stages.Contains(image) && !images.Contains(image))
                    images.Add(image);
                if (rest.Count >= 3 && rest[1].Equals("AS", StringComparison.OrdinalIgnoreCase)) stages.Add(rest[2]);
            }
            else if (keyword is "COPY" or "ADD" or "RUN")
            {
                foreach (var flag in words[1..].TakeWhile(w => w.StartsWith("--", StringComparison.Ordinal)))
                {
                    var from = flag.StartsWith("--from=", StringComparison.Ordinal) ? flag["--from=".Length..]
                        : FromInMount().Match(flag) is { Success: true } m ? m.Groups[1].Value : null;
                    if (from is null || stages.Contains(from) || int.TryParse(from, out _)) continue;
                    if (!images.Contains(from)) images.Add(from);
                }
            }
        }
        return images;
    }

    // Joins continuation lines and drops comments and parser directives.
    static IEnumerable<string> Instructions(string text)
    {
        var escape = '\\';
        var current = new System.Text.StringBuilder();
        var directives = true;
        foreach (var raw in text.Replace("\r\n", "\n").Split('\n'))
        {
            var line = raw.TrimStart();
            if (directives && EscapeDirective().Match(line) is { Success: true } d) { escape = d.Groups[1].Value[0]; continue; }
            if (line.StartsWith('#')) continue; // comments, also between continued lines
            directives = false;
            if (line.TrimEnd().EndsWith(escape))
            {
                current.Append(line.TrimEnd()[..^1]).Append(' ');
                continue;
            }
            current.Append(line);
            if (current.ToString().Trim() is { Length: > 0 } instruction) yield return instruction;
            current.Clear();
        }
        if (current.ToString().Trim() is { Length: > 0 } last) yield return last;
    }

    // $NAME, ${NAME}, ${NAME:-default}, ${NAME:+alternative}; an unknown name is empty, as in the builder.
    static string Substitute(string text, IReadOnlyDictionary<string, string> values) =>
        Variable().Replace(text, m =>
        {
            var name = m.Groups["braced"].Success ? m.Groups["braced"].Value : m.Groups["bare"].Value;
            var has = values.TryGetValue(name, out var value) && value.Length > 0;
            return m.Groups["op"].Value switch
            {
                ":-" => has ? value! : m.Groups["word"].Value,
                ":+" => has ? m.Groups["word"].Value : "",
                _ => value ?? "",
            };
        });

    static string Unquote(string text) => text.Length >= 2
        && (text[0] == '"' && text[^1] == '"' || text[0] == '\'' && text[^1] == '\'') ? text[1..^1] : text;

    [GeneratedRegex(@"\$(?:\{(?<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:[-+])(?<word>[^}]*))?\}|(?<bare>[A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex Variable();

    [GeneratedRegex(@"^#\s*escape\s*=\s*(\S)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex EscapeDirective();

    [GeneratedRegex(@"^--mount=.*\bfrom=([^,]+)")]
    private static partial Regex FromInMount();
}
