namespace MultiArch.Build;

/// <summary>
/// Every line the build prints goes through here: secret values are replaced by <c>***</c>, and lines written
/// inside a partition are prefixed with it (so parallel platforms stay readable).
/// </summary>
public sealed class BuildLog
{
    readonly TextWriter _out;
    readonly object _gate = new();
    readonly List<string> _secrets = [];
    readonly AsyncLocal<string?> _prefix = new();

    /// <summary>Creates a log over a writer (the console, or a test's StringWriter).</summary>
    public BuildLog(TextWriter output) => _out = output;

    /// <summary>Raised after a secret is registered, so a host can announce it (GitHub's ::add-mask::).</summary>
    internal Action<string>? SecretRegistered;

    /// <summary>
    /// Masks this value in every later line; ignores empty and very short values (they would mask everything).
    /// A value spanning several lines is also masked line by line (each line trimmed), since output arrives a line at a
    /// time: a child process printing one line of a JSON key must not show it.
    /// </summary>
    public void AddSecret(string value)
    {
        if (string.IsNullOrEmpty(value)) return;
        foreach (var part in SecretParts(value))
        {
            lock (_gate)
            {
                if (_secrets.Contains(part)) continue;
                _secrets.Add(part);
                _secrets.Sort((a, b) => b.Length.CompareTo(a.Length));
            }
            SecretRegistered?.Invoke(part);
        }
    }

    // The whole value, then each of its lines (trimmed), skipping parts too short to mask safely.
    static IEnumerable<string> SecretParts(string value)
    {
        var parts = new List<string> { value };
        if (value.Contains('\n') || value.Contains('\r'))
            parts.AddRange(value.Split(['\r', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        return parts.Where(p => p.Length >= 3).Distinct(StringComparer.Ordinal);
    }

    /// <summary>Replaces every secret in <paramref name="text"/> with <c>***</c>.</summary>
    public string Mask(string text)
    {
        lock (_gate)
            foreach (var secret in _secrets) text = text.Replace(secret, "***", StringComparison.Ordinal);
        return text;
    }

    /// <summary>The prefix for lines written in the current async flow (set per partition by the executor).</summary>
    public string? Prefix { get => _prefix.Value; set => _prefix.Value = value; }

    /// <summary>An ordinary line.</summary>
    public void Info(string message) => Write(message);
    /// <summary>A warning line.</summary>
    public void Warn(string message) => Write("warning: " + message);
    /// <summary>An error line.</summary>
    public void Error(string message) => Write("error: " + message);

    /// <summary>Writes a line (masked and prefixed); multi-line text is prefixed line by line.</summary>
    public void Write(string message)
    {
        var prefix = Prefix is { } p ? $"[{p}] " : "";
        var masked = Mask(message);
        lock (_gate)
        {
            foreach (var line in masked.Split('\n')) _out.WriteLine(prefix + line.TrimEnd('\r'));
            _out.Flush();
        }
    }

    /// <summary>Writes text exactly (masked, no prefix): tables, host commands.</summary>
    public void Raw(string text)
    {
        var masked = Mask(text);
        lock (_gate) { _out.Write(masked); _out.Flush(); }
    }
}
