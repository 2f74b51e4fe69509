namespace MultiArch.Workflows;

/// <summary>
/// <c>permissions:</c> scope to <c>read</c>/<c>write</c>/<c>none</c>. Empty renders as <c>{}</c>, which grants nothing.
/// </summary>
public sealed class Permissions
{
    /// <summary>Scope to level, in the order set.</summary>
    public OrderedDictionary<string, string> Scopes { get; } = new(StringComparer.Ordinal);

    /// <summary>Sets a scope (replacing a weaker or stronger level) and returns this.</summary>
    public Permissions Set(string scope, string level)
    {
        Scopes[scope] = level;
        return this;
    }

    /// <summary>Raises a scope to <c>write</c>.</summary>
    public Permissions Write(string scope) => Set(scope, "write");

    /// <summary>Grants <c>read</c> unless the scope already has <c>write</c>.</summary>
    public Permissions Read(string scope)
    {
        if (!Scopes.TryGetValue(scope, out var level) || level == "none") Scopes[scope] = "read";
        return this;
    }

    /// <summary><c>contents: read</c>: enough to check out the repository.</summary>
    public static Permissions ContentsRead() => new Permissions().Read("contents");
}
