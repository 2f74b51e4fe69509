using MultiArch.Processes;
using System.Text;
using System.Text.Json;

namespace MultiArch.Oci;

/// <summary>
/// Reads registry credentials the way the Docker CLI stores them in <c>~/.docker/config.json</c>:
/// <c>credHelpers</c> (per registry), then <c>credsStore</c> (default helper), then inline <c>auths</c>.
/// </summary>
public static class DockerConfigCredentials
{
    /// <summary>The config file Docker uses: <c>$DOCKER_CONFIG/config.json</c> or <c>~/.docker/config.json</c>.</summary>
    public static string DefaultPath =>
        Path.Combine(Environment.GetEnvironmentVariable("DOCKER_CONFIG") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker"), "config.json");

    /// <summary>Finds credentials for <paramref name="registry"/>, or null when the config has none.</summary>
    /// <exception cref="OciInputException">The config file is not valid JSON or a helper failed.</exception>
    public static RegistryCredentials? Find(string registry, string? configPath = null) => Find(registry, configPath, null);

    /// <summary>Finds credentials, giving a credential helper at most <paramref name="helperTimeout"/> (default 30 s) to answer.</summary>
    /// <exception cref="OciInputException">The config file is not valid, or a helper failed or did not answer in time.</exception>
    public static RegistryCredentials? Find(string registry, string? configPath, TimeSpan? helperTimeout)
    {
        var timeout = helperTimeout ?? TimeSpan.FromSeconds(30);
        configPath ??= DefaultPath;
        if (!File.Exists(configPath)) return null;
        JsonDocument document;
        try { document = JsonDocument.Parse(File.ReadAllText(configPath)); }
        catch (JsonException e)
        {
            throw new OciInputException(
                $"Docker config '{configPath}' is not valid JSON (line {e.LineNumber + 1}): fix or remove it, " +
                "or pass credentials explicitly.");
        }
        using (document)
        {
            var root = document.RootElement;
            var keys = KeysFor(registry);
            if (root.TryGetProperty("credHelpers", out var helpers) && helpers.ValueKind == JsonValueKind.Object)
                foreach (var key in keys)
                    if (helpers.TryGetProperty(key, out var helper) && helper.GetString() is { Length: > 0 } name)
                        return FromHelper(name, key, timeout);
            if (root.TryGetProperty("auths", out var auths) && auths.ValueKind == JsonValueKind.Object)
                foreach (var entry in auths.EnumerateObject())
                    if (keys.Contains(Normalize(entry.Name)) && FromAuthEntry(entry.Value, configPath, entry.Name) is { } inline)
                        return inline;
            if (root.TryGetProperty("credsStore", out var store) && store.GetString() is { Length: > 0 } storeName)
                return FromHelper(storeName, keys[0], timeout);
            return null;
        }
    }

    private static RegistryCredentials? FromAuthEntry(JsonElement entry, string configPath, string key)
    {
        if (entry.TryGetProperty("auth", out var auth) && auth.GetString() is { Length: > 0 } encoded)
        {
            byte[] bytes;
            try { bytes = Convert.FromBase64String(encoded); }
            catch (FormatException)
            {
                throw new OciInputException(
                    $"Docker config '{configPath}': auths.\"{key}\".auth is not base64 of user:password: " +
                    $"run docker login {key} again, or remove that entry.");
            }
            var decoded = Encoding.UTF8.GetString(bytes);
            var colon = decoded.IndexOf(':');
            if (colon > 0) return new RegistryCredentials(decoded[..colon], decoded[(colon + 1)..]);
        }
        if (entry.TryGetProperty("username", out var u) && entry.TryGetProperty("password", out var p) &&
            u.GetString() is { Length: > 0 } user && p.GetString() is { Length: > 0 } password)
            return new RegistryCredentials(user, password);
        return null;
    }

    // Runs `docker-credential-<name> get` with the server URL on stdin, as the Docker CLI does.
    private static RegistryCredentials? FromHelper(string helper, string server, TimeSpan timeout)
    {
        ProcessResult result;
        try
        {
            // A helper waiting for a locked keychain or a prompt would block the build for ever: the runner kills it.
            result = ProcessRunner.Run(
                new ProcessCommand($"docker-credential-{helper}", ["get"]) { StandardInput = server, Timeout = timeout });
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new OciInputException(
                $"Credential helper 'docker-credential-{helper}' named in the Docker config is not installed: " +
                "install it or remove it from the config.");
        }
        if (result.TimedOut)
            throw new OciInputException(
                $"Credential helper 'docker-credential-{helper}' did not answer within {timeout.TotalSeconds:0} s for {server}: " +
                "check that it works (docker-credential-" + helper + " list), or pass --registry-username and a password.");
        // Helpers exit non-zero with "credentials not found" when they have nothing for this server.
        if (result.ExitCode != 0) return null;
        using var json = JsonDocument.Parse(result.StandardOutput);
        var user = json.RootElement.TryGetProperty("Username", out var u) ? u.GetString() : null;
        var secret = json.RootElement.TryGetProperty("Secret", out var s) ? s.GetString() : null;
        if (string.IsNullOrEmpty(secret)) return null;
        // "<token>" is how helpers mark an identity token; Docker then uses it as the password.
        return new RegistryCredentials(string.IsNullOrEmpty(user) || user == "<token>" ? "token" : user, secret);
    }

    // Docker Hub is stored under its legacy URL; other registries under the host, sometimes with a scheme.
    private static string[] KeysFor(string registry) =>
        registry is ImageReference.DockerHub or "index.docker.io" or "registry-1.docker.io"
            ? ["https://index.docker.io/v1/", "index.docker.io", "docker.io", "registry-1.docker.io"]
            : [registry];

    private static string Normalize(string key)
    {
        if (key == "https://index.docker.io/v1/") return key;
        var value = key;
        foreach (var prefix in new[] { "https://", "http://" })
            if (value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) value = value[prefix.Length..];
        var slash = value.IndexOf('/');
        return slash >= 0 ? value[..slash] : value;
    }
}
