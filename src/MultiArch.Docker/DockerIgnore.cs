using System.Text;
using System.Text.RegularExpressions;

namespace MultiArch.Docker;

/// <summary>
/// A <c>.dockerignore</c> file, read and matched by Docker's own rules, so the input digest hashes exactly the files
/// a build sends. Ported from moby/patternmatcher at 5a6d842 (https://github.com/moby/patternmatcher):
/// <c>ignorefile/ignorefile.go</c> ReadAll for reading (BOM stripped, <c>#</c> lines are comments, whitespace trimmed,
/// paths cleaned, a leading <c>/</c> dropped) and <c>patternmatcher.go</c> for matching: <c>*</c> and <c>?</c> never
/// cross a <c>/</c>, <c>**</c> spans any number of directories, <c>[...]</c> is a class, <c>\</c> escapes, a pattern
/// matching a parent directory matches everything under it (MatchesOrParentMatches, what BuildKit uses through
/// MatchesUsingParentResults), and patterns apply in order, so a later <c>!pattern</c> re-includes.
/// </summary>
public sealed class DockerIgnore
{
    readonly IReadOnlyList<Pattern> _patterns;

    DockerIgnore(IReadOnlyList<Pattern> patterns) => _patterns = patterns;

    /// <summary>No patterns: every file is sent.</summary>
    public static DockerIgnore Empty { get; } = new([]);

    /// <summary>True when some pattern starts with <c>!</c> (then an excluded directory may still hold included files).</summary>
    public bool HasExclusions => _patterns.Any(p => p.Exclusion);

    /// <summary>Reads an ignore file's text the way ignorefile.ReadAll does.</summary>
    /// <param name="text">The file's content.</param>
    /// <param name="source">The file's path, named in the error.</param>
    /// <exception cref="DockerInputException">A pattern Docker would refuse (a lone <c>!</c>, an unclosed <c>[</c>).</exception>
    public static DockerIgnore Parse(string text, string source = ".dockerignore")
    {
        var lines = new List<string>();
        var first = true;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (first && line.StartsWith('\uFEFF')) line = line[1..];
            first = false;
            if (line.StartsWith('#')) continue;
            line = line.Trim();
            if (line.Length == 0) continue;
            var invert = line[0] == '!';
            if (invert) line = line[1..].Trim();
            if (line.Length > 0)
            {
                line = CleanPath(line);
                if (line.Length > 1 && line[0] == '/') line = line[1..];
            }
            lines.Add(invert ? "!" + line : line);
        }
        return FromPatterns(lines, source);
    }

    /// <summary>The matcher of already-read patterns, as patternmatcher.New builds it.</summary>
    /// <exception cref="DockerInputException">A pattern Docker would refuse.</exception>
    public static DockerIgnore FromPatterns(IEnumerable<string> patterns, string source = ".dockerignore")
    {
        var list = new List<Pattern>();
        foreach (var given in patterns)
        {
            var p = given.Trim();
            if (p.Length == 0) continue;
            p = CleanPath(p);
            var exclusion = false;
            if (p[0] == '!')
            {
                if (p.Length == 1) throw new DockerInputException($"{source}: illegal exclusion pattern \"!\": " +
                    "write !path to re-include a path, or delete the line.");
                exclusion = true;
                p = p[1..];
            }
            list.Add(Pattern.Compile(p, exclusion, source));
        }
        return new DockerIgnore(list);
    }

    /// <summary>Whether a context-relative, slash-separated path is left out of the build context.</summary>
    public bool IsExcluded(string relativePath)
    {
        var file = CleanPath(relativePath);
        if (file == ".") return false; // Docker: never exclude the whole context
        var slash = file.LastIndexOf('/');
        var parents = slash < 0 ? [] : file[..slash].Split('/');
        var matched = false;
        foreach (var pattern in _patterns)
        {
            // An inclusion cannot change a match, an exclusion cannot change a non-match.
            if (pattern.Exclusion != matched) continue;
            var match = pattern.Matches(file);
            for (var i = 0; !match && i < parents.Length; i++)
                match = pattern.Matches(string.Join('/', parents, 0, i + 1));
            if (match) matched = !pattern.Exclusion;
        }
        return matched;
    }

    /// <summary>Go's path.Clean: one slash between names, no <c>.</c>, <c>..</c> resolved, no trailing slash; empty is <c>.</c>.</summary>
    public static string CleanPath(string path)
    {
        if (path.Length == 0) return ".";
        var rooted = path[0] == '/';
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..") parts.RemoveAt(parts.Count - 1);
                else if (!rooted) parts.Add("..");
                continue;
            }
            parts.Add(part);
        }
        var joined = string.Join('/', parts);
        return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
    }

    enum Kind { Exact, Prefix, Suffix, Regex }

    sealed record Pattern(string Text, bool Exclusion, Kind Kind, Regex? Regex)
    {
        public bool Matches(string path) => Kind switch
        {
            Kind.Exact => path == Text,
            Kind.Prefix => path.StartsWith(Text[..^2], StringComparison.Ordinal), // strip the trailing **
            // strip the leading **; "**/foo" also matches "foo"
            Kind.Suffix => path.EndsWith(Text[2..], StringComparison.Ordinal) || Text[2..] is ['/', .. var rest] && path == rest,
            _ => Regex!.IsMatch(path),
        };

        // patternmatcher.go Pattern.compile, character for character (separator '/').
        public static Pattern Compile(string pattern, bool exclusion, string source)
        {
            var regex = new StringBuilder("^");
            var kind = Kind.Exact;
            var runes = pattern.EnumerateRunes().Select(r => r.ToString()).ToList();
            var at = 0;
            string? Peek() => at < runes.Count ? runes[at] : null;
            for (var i = 0; at < runes.Count; i++)
            {
                var ch = runes[at++];
                if (ch == "*")
                {
                    if (Peek() == "*")
                    {
                        at++;
                        if (Peek() == "/") at++; // "**/" is "**"
                        if (Peek() is null)
                        {
                            // "**" at the end accepts everything, as .gitignore does
                            if (kind == Kind.Exact) kind = Kind.Prefix;
                            else { regex.Append(".*"); kind = Kind.Regex; }
                        }
                        else { regex.Append("(.*/)?"); kind = Kind.Regex; }
                        if (i == 0) kind = Kind.Suffix;
                    }
                    else { regex.Append("[^/]*"); kind = Kind.Regex; }
                }
                else if (ch == "?") { regex.Append("[^/]"); kind = Kind.Regex; }
                else if (ch is "." or "+" or "(" or ")" or "|" or "{" or "}" or "$") regex.Append('\\').Append(ch);
                else if (ch == "\\")
                {
                    if (Peek() is { } next) { regex.Append('\\').Append(runes[at++]); kind = Kind.Regex; }
                    else regex.Append('\\');
                }
                else if (ch is "[" or "]") { regex.Append(ch); kind = Kind.Regex; }
                else regex.Append(ch);
            }
            Regex? compiled = null;
            if (kind == Kind.Regex)
            {
                regex.Append('$');
                try { compiled = new Regex(regex.ToString(), RegexOptions.CultureInvariant); }
                catch (ArgumentException) { throw new DockerInputException($"{source}: " +
                    $"'{pattern}' is not a valid pattern (an unclosed '[' or a bad range?): fix or delete the line."); }
            }
            // filepath.Match's syntax check, which New runs on every pattern: an unclosed class is an error even
            // where the regex engine would accept it.
            if (UnclosedClass(pattern)) throw new DockerInputException($"{source}: " +
                $"'{pattern}' is not a valid pattern (an unclosed '['): fix or delete the line.");
            return new Pattern(pattern, exclusion, kind, compiled);
        }

        static bool UnclosedClass(string pattern)
        {
            var open = false;
            for (var i = 0; i < pattern.Length; i++)
            {
                if (pattern[i] == '\\') { i++; continue; }
                if (!open && pattern[i] == '[') { open = true; if (i + 1 < pattern.Length && pattern[i + 1] == ']') i++; }
                else if (open && pattern[i] == ']') open = false;
            }
            return open;
        }
    }
}
