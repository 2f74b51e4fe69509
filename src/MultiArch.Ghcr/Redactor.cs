namespace MultiArch.Ghcr;

/// <summary>Removes the token from any text before it is logged, thrown or written, whatever produced the text.</summary>
internal sealed class Redactor(string secret)
{
    /// <summary>The text with every occurrence of the secret replaced by <c>***</c>.</summary>
    public string Clean(string text) =>
        secret.Length == 0 ? text : text.Replace(secret, "***", StringComparison.Ordinal);
}
