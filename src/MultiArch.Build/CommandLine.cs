namespace MultiArch.Build;

/// <summary>
/// The parsed command line: target names before the first option (or after <c>--target</c>), and options with
/// zero or more values each (<c>--platform linux/amd64 linux/arm64</c>, <c>--dry-run</c>, <c>--version=1.2.3</c>).
/// </summary>
public sealed class CommandLine
{
    /// <summary>Positional target names, in order.</summary>
    public IReadOnlyList<string> Targets { get; }
    /// <summary>Option values by normalized name (letters and digits, lower case).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Options { get; }
    /// <summary>Option names exactly as typed, by normalized name (for error messages).</summary>
    public IReadOnlyDictionary<string, string> Spelling { get; }

    CommandLine(List<string> targets, Dictionary<string, List<string>> options, Dictionary<string, string> spelling) =>
        (Targets, Options, Spelling) = (targets, options.ToDictionary(o => o.Key, o => (IReadOnlyList<string>)o.Value), spelling);

    /// <summary>
    /// Parses arguments; a repeated option accumulates its values. A switch (a bool option) takes a following
    /// value only when it is true/false, so <c>--plan MergeManifest</c> names a target. A token that names a target
    /// (<paramref name="isTarget"/>, case-insensitive) is always a target, never a list value: <c>--platform
    /// linux/amd64 ExportDigest</c> runs ExportDigest. A value spelled like a target goes inline: <c>--image=Test</c>.
    /// </summary>
    public static CommandLine Parse(IEnumerable<string> args, Func<string, bool>? isSwitch = null, Func<string, bool>? isTarget = null)
    {
        var targets = new List<string>();
        var options = new Dictionary<string, List<string>>();
        var spelling = new Dictionary<string, string>();
        List<string>? current = null, pendingSwitch = null;
        var currentNamesTargets = false;
        foreach (var arg in args)
        {
            if (arg.StartsWith('-') && arg.Length > 1 && !char.IsDigit(arg[1]))
            {
                var text = arg.TrimStart('-');
                string? inline = null;
                if (text.IndexOf('=') is var eq and > 0) (text, inline) = (text[..eq], text[(eq + 1)..]);
                if (text is "h" or "?") text = "help";
                var key = ParameterInfo.Normalize(text);
                if (!options.TryGetValue(key, out var values)) options[key] = values = [];
                spelling.TryAdd(key, "--" + text);
                if (inline is not null) values.Add(inline);
                var isFlag = isSwitch?.Invoke(key) == true;
                current = isFlag ? null : values;
                currentNamesTargets = key is "skip" or "target"; // their values are target names
                pendingSwitch = isFlag && inline is null ? values : null;
            }
            else if (pendingSwitch is not null && arg.ToLowerInvariant() is "true" or "false")
            { pendingSwitch.Add(arg); pendingSwitch = null; }
            else if (current is null || (!currentNamesTargets && isTarget?.Invoke(arg) == true))
            { targets.Add(arg); (current, pendingSwitch) = (null, null); }
            else current.Add(arg);
        }
        if (options.Remove("target", out var named)) targets.AddRange(named);
        return new CommandLine(targets, options, spelling);
    }

    /// <summary>Whether an option was given (with or without values).</summary>
    public bool Has(string name) => Options.ContainsKey(ParameterInfo.Normalize(name));
}
