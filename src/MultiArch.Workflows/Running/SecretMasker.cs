namespace MultiArch.Workflows;

/// <summary>Replaces secret values with <c>***</c> in every line the local runner keeps or prints.</summary>
public sealed class SecretMasker
{
    readonly List<string> secrets = [];

    /// <summary>Masks these values (empty ones are ignored).</summary>
    public SecretMasker(IEnumerable<string> values)
    {
        foreach (var value in values) Add(value);
    }

    /// <summary>Adds a value to mask (like <c>::add-mask::</c>).</summary>
    public void Add(string value)
    {
        lock (secrets)
        {
            if (value.Trim().Length == 0 || secrets.Contains(value)) return;
            secrets.Add(value);
            secrets.Sort((a, b) => b.Length.CompareTo(a.Length)); // longest first, so a secret containing another is masked whole
        }
    }

    /// <summary>Masks values a step exported through <c>$GITHUB_ENV</c> under a name that says it is secret.</summary>
    public void MaskIfSecretLike(string name, string value)
    {
        if (name.Contains("TOKEN", StringComparison.OrdinalIgnoreCase) || name.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase)
            || name.Contains("SECRET", StringComparison.OrdinalIgnoreCase)) Add(value);
    }

    /// <summary>The text with every known secret replaced.</summary>
    public string Mask(string text)
    {
        lock (secrets)
            foreach (var secret in secrets) text = text.Replace(secret, "***", StringComparison.Ordinal);
        return text;
    }
}
