namespace MultiArch.Build;

/// <summary>Where a parameter's value came from; error messages and the start-up lines name it.</summary>
public enum ValueOrigin { None, CommandLine, Environment, File }

/// <summary>One parameter's value, converted once to its declared type, with where it came from.</summary>
/// <param name="Value">The converted value; null when none was given or it could not be converted.</param>
/// <param name="Origin">Which source gave it.</param>
/// <param name="Where">The source as people name it: "command line", "env MULTIARCH_VERSION", "parameters.json".</param>
/// <param name="Problem">Why the given text could not be converted (naming its source), else null.</param>
public sealed record ParameterValue(object? Value, ValueOrigin Origin, string? Where, string? Problem)
{
    /// <summary>No value from any source: the default applies.</summary>
    public static ParameterValue None { get; } = new(null, ValueOrigin.None, null, null);
}

/// <summary>
/// Every parameter's value, resolved once at start-up (command line, then environment, then parameters files) and
/// never changed: reads are dictionary lookups. A build evaluated over another snapshot (defaults only, or only what
/// the files declare) is a separate build instance, so no getter ever depends on an ambient mode.
/// </summary>
public sealed class ParameterSnapshot
{
    readonly IReadOnlyDictionary<ParameterInfo, ParameterValue> _values;

    internal ParameterSnapshot(IReadOnlyDictionary<ParameterInfo, ParameterValue> values) => _values = values;
    /// <summary>Nothing given anywhere: every getter falls back to its default.</summary>
    public static ParameterSnapshot Empty { get; } = new(new Dictionary<ParameterInfo, ParameterValue>());
    /// <summary>The value of one parameter (<see cref="ParameterValue.None"/> when nothing gave one).</summary>
    public ParameterValue this[ParameterInfo parameter] => _values.GetValueOrDefault(parameter) ?? ParameterValue.None;
}
