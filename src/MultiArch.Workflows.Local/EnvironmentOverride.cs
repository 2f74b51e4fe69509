namespace MultiArch.Workflows.Local;

/// <summary>
/// One <c>--local-env KEY=VALUE</c> pair, parsed once: a text without a key and <c>=</c>, typed on the command line,
/// fails at start-up with the form to write.
/// </summary>
/// <param name="Name">The variable, e.g. <c>MULTIARCH_REGISTRY</c>.</param>
/// <param name="Value">Its value (may be empty, and may hold further <c>=</c>).</param>
public sealed record EnvironmentOverride(string Name, string Value)
{
    /// <summary>Parses <c>KEY=VALUE</c>.</summary>
    /// <exception cref="FormatException">No <c>=</c>, or nothing before it.</exception>
    public static EnvironmentOverride Parse(string text) => text.IndexOf('=', StringComparison.Ordinal) is > 0 and var at
        ? new(text[..at], text[(at + 1)..])
        : throw new FormatException($"'{text}' is not KEY=VALUE; write e.g. MULTIARCH_REGISTRY=127.0.0.1:5000.");

    /// <summary>The pairs as the runner takes them; a name given twice keeps its last value, as a shell would.</summary>
    public static Dictionary<string, string> ToDictionary(IEnumerable<EnvironmentOverride> overrides)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in overrides) variables[name] = value;
        return variables;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}={Value}";
}
