using System.Text.RegularExpressions;

namespace MultiArch.Workflows;

/// <summary>
/// How jobs that publish log in to the registry. The password is always a secret reference, never a value:
/// GHCR by default uses <c>github.actor</c> and <c>secrets.GITHUB_TOKEN</c>.
/// </summary>
public sealed partial record RegistryLogin
{
    /// <summary>The registry host, e.g. <c>ghcr.io</c>.</summary>
    public string Registry { get; }

    /// <summary>The user name (text or an expression).</summary>
    public string Username { get; }

    /// <summary>The name of the secret holding the password or token.</summary>
    public string PasswordSecret { get; }

    /// <summary>Creates login settings; <paramref name="passwordSecret"/> must be a secret name, not a value.</summary>
    public RegistryLogin(string registry, string username = "${{ github.actor }}", string passwordSecret = "GITHUB_TOKEN")
    {
        if (string.IsNullOrWhiteSpace(registry)) throw new WorkflowDefinitionException("Registry login has no registry; give a host such "
            + "as ghcr.io.");
        if (!SecretName().IsMatch(passwordSecret))
            throw new WorkflowDefinitionException("Registry login password must be the NAME of a repository secret (letters, digits, "
                + "underscores), e.g. GITHUB_TOKEN; never the value itself.");
        (Registry, Username, PasswordSecret) = (registry, username, passwordSecret);
    }

    /// <summary>
    /// Logins to the other registries of <c>--registries</c>, each with its own secrets; only the job that mirrors
    /// the index (merge) logs in to them.
    /// </summary>
    public IReadOnlyList<RegistryLogin> Mirrors { get; init; } = [];

    /// <summary>
    /// A login whose secrets are named after the host: <c>docker.io</c> reads <c>DOCKER_IO_USERNAME</c> and
    /// <c>DOCKER_IO_TOKEN</c>, <c>quay.io</c> <c>QUAY_IO_USERNAME</c> and <c>QUAY_IO_TOKEN</c>.
    /// </summary>
    public static RegistryLogin WithHostSecrets(string registry)
    {
        var stem = string.Concat((registry ?? "").ToUpperInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_'));
        if (stem.Length == 0 || char.IsAsciiDigit(stem[0])) stem = "REGISTRY_" + stem; // a secret name cannot start with a digit
        return new RegistryLogin(registry!, $"${{{{ secrets.{stem}_USERNAME }}}}", $"{stem}_TOKEN");
    }

    /// <summary>GHCR with the workflow's own token.</summary>
    public static RegistryLogin GitHubContainerRegistry { get; } = new("ghcr.io");

    /// <summary>The expression a login step passes as password.</summary>
    public string PasswordExpression => $"${{{{ secrets.{PasswordSecret} }}}}";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    internal static partial Regex SecretName();
}
