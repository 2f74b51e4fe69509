namespace MultiArch.Processes;

/// <summary>
/// The one place secret values are hidden: the build log, the local workflow runner, the GHCR cleaner and every child
/// process's output replace each registered value with <see cref="Marker"/>. Thread-safe.
/// </summary>
public sealed class SecretMasker
{
    /// <summary>What a secret becomes.</summary>
    public const string Marker = "***";

    /// <summary>Shorter values are not masked: masking "a" or "ab" would hide every line, not a secret.</summary>
    public const int MinimumLength = 3;

    readonly List<string> _secrets = [];

    /// <summary>A masker with nothing registered yet.</summary>
    public SecretMasker() { }

    /// <summary>A masker for these values (empty and very short ones are ignored).</summary>
    public SecretMasker(IEnumerable<string?> values)
    {
        foreach (var value in values) Add(value);
    }

    /// <summary>
    /// Masks <paramref name="value"/> in every later <see cref="Mask"/>. A value spanning several lines is also masked
    /// line by line (each line trimmed), since output arrives a line at a time: a child printing one line of a JSON key
    /// must not show it.
    /// </summary>
    /// <returns>The parts newly registered (none when the value was known, empty or too short).</returns>
    public IReadOnlyList<string> Add(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return [];
        var added = new List<string>();
        lock (_secrets)
        {
            foreach (var part in Parts(value))
            {
                if (_secrets.Contains(part)) continue;
                _secrets.Add(part);
                added.Add(part);
            }
            // Longest first, so a secret containing another is masked whole.
            if (added.Count > 0) _secrets.Sort((a, b) => b.Length.CompareTo(a.Length));
        }
        return added;
    }

    /// <summary>Masks <paramref name="value"/> when <paramref name="name"/> says it is secret (TOKEN, PASSWORD, SECRET).</summary>
    public void AddIfNamedSecret(string name, string value)
    {
        if (IsSecretName(name)) Add(value);
    }

    /// <summary>True when a variable's name says its value is secret: it contains TOKEN, PASSWORD or SECRET.</summary>
    public static bool IsSecretName(string name) =>
        name.Contains("TOKEN", StringComparison.OrdinalIgnoreCase) || name.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase)
        || name.Contains("SECRET", StringComparison.OrdinalIgnoreCase);

    /// <summary>The text with every registered secret replaced by <see cref="Marker"/>.</summary>
    public string Mask(string text)
    {
        lock (_secrets)
            foreach (var secret in _secrets) text = text.Replace(secret, Marker, StringComparison.Ordinal);
        return text;
    }

    // The whole value, then each of its lines (trimmed), skipping parts too short to mask safely.
    static IEnumerable<string> Parts(string value)
    {
        var parts = new List<string> { value };
        if (value.Contains('\n') || value.Contains('\r'))
            parts.AddRange(value.Split(['\r', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        return parts.Where(p => p.Trim().Length >= MinimumLength).Distinct(StringComparer.Ordinal);
    }
}
