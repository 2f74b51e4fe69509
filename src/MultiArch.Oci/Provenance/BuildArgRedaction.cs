using System.Text.RegularExpressions;

namespace MultiArch.Oci.Provenance;

/// <summary>
/// Hides secrets in build arguments before they go into a provenance statement, which is public wherever the image is.
/// </summary>
public static partial class BuildArgRedaction
{
    /// <summary>What a redacted value becomes.</summary>
    public const string Marker = "***";

    /// <summary>
    /// Copies <paramref name="buildArgs"/> with a value redacted when it contains one of <paramref name="secretValues"/>
    /// (the build's <c>[Secret]</c> parameters) or when its name looks like a credential (TOKEN, PASSWORD, SECRET, KEY,
    /// CREDENTIAL, AUTH): a secret passed as a build argument under a telling name is still a secret.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Redact(IReadOnlyDictionary<string, string> buildArgs,
        IEnumerable<string> secretValues)
    {
        var secrets = secretValues.Where(s => s.Length > 0).ToList();
        return buildArgs.ToDictionary(
            x => x.Key,
            x => SecretName().IsMatch(x.Key) || secrets.Any(s => x.Value.Contains(s, StringComparison.Ordinal)) ? Marker : x.Value,
            StringComparer.Ordinal);
    }

    [GeneratedRegex("(TOKEN|PASSWORD|PASSWD|SECRET|KEY|CREDENTIAL|AUTH)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}
