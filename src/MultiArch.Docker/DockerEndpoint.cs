using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MultiArch.Docker;

/// <summary>
/// The Docker engine a build talks to, resolved once the way the docker CLI resolves it, so the engine probe and every
/// docker command agree (docker/setup-docker-action, Docker Desktop, colima, OrbStack and rootless Docker all switch
/// engines through a context, not <c>DOCKER_HOST</c>). The order, from docker/cli v28.2.2
/// (https://github.com/docker/cli/blob/v28.2.2/cli/command/cli.go, <c>resolveContextName</c>):
/// a non-empty <c>DOCKER_HOST</c> (the default context) ; a non-empty <c>DOCKER_CONTEXT</c> ; <c>currentContext</c>
/// in <c>$DOCKER_CONFIG/config.json</c> (<c>~/.docker</c> when unset, cli/config/config.go <c>Dir</c>) ; the default context.
/// A named context's endpoint is <c>Endpoints.docker.Host</c> in <c>contexts/meta/&lt;sha256(name)&gt;/meta.json</c>
/// under that directory (cli/context/store/store.go <c>contextdirOf</c>, metadatastore.go); the default context is
/// <c>DOCKER_HOST</c>, else <see cref="DefaultHost"/>.
/// </summary>
/// <param name="Host">The engine address, e.g. <c>unix:///var/run/docker.sock</c>; children get it as <c>DOCKER_HOST</c>.</param>
/// <param name="Source">Where it came from, for messages, e.g. <c>DOCKER_HOST</c> or <c>context 'ci' (DOCKER_CONTEXT)</c>.</param>
public sealed record DockerEndpoint(string Host, string Source)
{
    /// <summary>The engine address of the default context when <c>DOCKER_HOST</c> is not set.</summary>
    public const string DefaultHost = "unix:///var/run/docker.sock";

    /// <summary>The name the docker CLI gives the context made of <c>DOCKER_HOST</c> or the default socket.</summary>
    public const string DefaultContextName = "default";

    /// <summary>The default context with no <c>DOCKER_HOST</c>: this machine's own engine socket.</summary>
    public static DockerEndpoint Default { get; } = new(DefaultHost, "the default context");

    /// <summary>True when this is the machine's default socket, the only engine a build may start itself.</summary>
    public bool IsDefaultSocket => Host == DefaultHost;

    /// <summary>True when the address came from a named context rather than DOCKER_HOST or the default.</summary>
    public bool IsNamedContext => Source.StartsWith("context ", StringComparison.Ordinal);

    /// <summary>An address given as such (a <c>DOCKER_HOST</c> value).</summary>
    public static DockerEndpoint FromHost(string host) => new(host, "DOCKER_HOST");

    /// <summary>Resolves the endpoint from this process's environment.</summary>
    /// <exception cref="DockerEngineUnavailableException">The docker config or a named context is broken: one line with
    /// the fix.</exception>
    public static DockerEndpoint Resolve() => Resolve(System.Environment.GetEnvironmentVariables()
        .Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? ""));

    /// <summary>Resolves the endpoint from <paramref name="environment"/> (a build's environment) as the docker CLI would.</summary>
    /// <exception cref="DockerEngineUnavailableException">The docker config or a named context is broken: one line with
    /// the fix.</exception>
    public static DockerEndpoint Resolve(IReadOnlyDictionary<string, string> environment)
    {
        if (Value(environment, "DOCKER_HOST") is { } host) return FromHost(host);
        var configDirectory = ConfigDirectory(environment);
        if (Value(environment, "DOCKER_CONTEXT") is { } named)
            return FromContext(named, "DOCKER_CONTEXT", configDirectory, "set DOCKER_CONTEXT to one of those, or unset it");
        var configFile = Path.Combine(configDirectory, "config.json");
        if (CurrentContext(configFile) is { } current)
            return FromContext(current, $"currentContext in {configFile}", configDirectory, "run `docker context use default` " +
                "or `docker context use <one of those>`");
        return Default;
    }

    /// <summary>The docker CLI's config directory: <c>DOCKER_CONFIG</c>, else <c>$HOME/.docker</c>.</summary>
    public static string ConfigDirectory(IReadOnlyDictionary<string, string> environment) =>
        Value(environment, "DOCKER_CONFIG")
        ?? Path.Combine(Value(environment, "HOME")
            ?? System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".docker");

    /// <summary>The folder of a context's meta.json: the hex SHA-256 of its name, as the docker CLI names it.</summary>
    public static string ContextDirectoryName(string name) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));

    static DockerEndpoint FromContext(string name, string namedBy, string configDirectory, string fix)
    {
        var source = $"context '{name}' ({namedBy})";
        if (name == DefaultContextName) return Default with { Source = source };
        var meta = Path.Combine(configDirectory, "contexts", "meta", ContextDirectoryName(name), "meta.json");
        if (!File.Exists(meta))
            throw new DockerEngineUnavailableException(
                $"Docker context '{name}' ({namedBy}) does not exist: there is no {meta}; " +
                $"run `docker context ls` to see the contexts, then {fix}.");
        var host = ReadHost(meta, name);
        // The CLI would also use the context's TLS files (contexts/tls/<id>/docker); passing only DOCKER_HOST would drop them.
        var tls = Path.Combine(configDirectory, "contexts", "tls", ContextDirectoryName(name), "docker");
        if (Directory.Exists(tls) && Directory.EnumerateFiles(tls).Any())
            throw new DockerEngineUnavailableException(
                $"Docker context '{name}' ({namedBy}) reaches {host} over TLS ({tls}), which MultiArch does not pass on: " +
                $"set DOCKER_HOST={host} with DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH={tls}, or use a context without TLS.");
        return new DockerEndpoint(host, source);
    }

    static string ReadHost(string meta, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(meta));
            if (document.RootElement.TryGetProperty("Endpoints", out var endpoints) && endpoints.ValueKind == JsonValueKind.Object
                && endpoints.TryGetProperty("docker", out var docker) && docker.ValueKind == JsonValueKind.Object
                && docker.TryGetProperty("Host", out var host) && host.GetString() is { Length: > 0 } value)
                return value;
        }
        catch (JsonException e)
        {
            throw new DockerEngineUnavailableException($"Docker context '{name}' has a meta.json that is not JSON ({meta}: " +
                $"{e.Message}); recreate it with `docker context rm {name}` and `docker context create {name} --docker host=...`.");
        }
        throw new DockerEngineUnavailableException(
            $"Docker context '{name}' has no docker endpoint (no Endpoints.docker.Host in {meta}); " +
            $"recreate it with `docker context create {name} --docker host=...`.");
    }

    static string? CurrentContext(string configFile)
    {
        if (!File.Exists(configFile)) return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(configFile));
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty("currentContext", out var current)
                   && current.ValueKind == JsonValueKind.String && current.GetString() is { Length: > 0 } name
                ? name : null;
        }
        catch (JsonException e)
        {
            throw new DockerEngineUnavailableException($"Docker config {configFile} is not valid JSON ({e.Message}): fix it, " +
                "or set DOCKER_CONFIG to another directory.");
        }
    }

    static string? Value(IReadOnlyDictionary<string, string> environment, string name) =>
        environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    /// <summary>
    /// The address and where it came from, e.g. <c>unix:///run/user/1000/docker.sock (context 'rootless'
    /// (DOCKER_CONTEXT))</c>.
    /// </summary>
    public override string ToString() => $"{Host} ({Source})";
}
