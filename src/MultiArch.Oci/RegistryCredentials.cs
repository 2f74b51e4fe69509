namespace MultiArch.Oci;

/// <summary>
/// A username and password (or token) for one registry. <see cref="ToString"/> never shows the secret,
/// so a record printed in a log or exception stays safe.
/// </summary>
/// <param name="Username">The user name (for GHCR, the GitHub user; any non-empty value works with a token).</param>
/// <param name="Password">The password or access token.</param>
public sealed record RegistryCredentials(string Username, string Password)
{
    /// <summary>Shows the user name only.</summary>
    public override string ToString() => $"RegistryCredentials {{ Username = {Username}, Password = *** }}";

    /// <summary>The value of a Basic Authorization header.</summary>
    internal string ToBasic() => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Username}:{Password}"));

    /// <summary>
    /// Credentials from explicit values when both are given, else from <c>~/.docker/config.json</c>, else null (anonymous).
    /// A credential helper named there is stopped after <paramref name="helperTimeout"/> (default 30 s).
    /// </summary>
    public static RegistryCredentials? Resolve(string registry, string? username, string? password, string? dockerConfigPath = null,
        TimeSpan? helperTimeout = null)
    {
        if (!string.IsNullOrEmpty(password))
            return new RegistryCredentials(string.IsNullOrEmpty(username) ? "token" : username, password);
        return DockerConfigCredentials.Find(registry, dockerConfigPath, helperTimeout);
    }
}
