using MultiArch.Processes;

namespace MultiArch.Docker;

/// <summary>
/// The embedded default registry: when nothing answers <c>/v2/</c> on the given address, starts one that outlives
/// this process (Debian's <c>docker-registry</c> binary when installed, else the <c>registry:2</c> container), so a
/// build with no <c>--registry</c> works with no account and no configuration.
/// </summary>
public static class LocalRegistry
{
    /// <summary>The address used when none is given.</summary>
    public const string DefaultHost = "127.0.0.1:5000";

    /// <summary>Debian's registry binary (package docker-registry).</summary>
    public const string RegistryBinary = RegistryServer.Binary;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Makes sure a registry answers on <paramref name="host"/>. Returns null when one already did; else starts one
    /// and returns a line saying so (what was started, where its data and log are).
    /// </summary>
    /// <param name="host">host:port to serve on, e.g. <c>127.0.0.1:5000</c>.</param>
    /// <param name="cli">The docker client for the container fallback; located when null and needed.</param>
    /// <param name="withheld">Variables the registry must not inherit: it outlives this process, with its environment
    /// readable in /proc.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="DockerCommandException">The registry was started but did not answer in time.</exception>
    public static async Task<string?> EnsureRunningAsync(string host = DefaultHost, DockerCli? cli = null,
        IReadOnlyCollection<string>? withheld = null, CancellationToken cancellationToken = default)
    {
        if (await AnswersAsync(host, cancellationToken)) return null;

        string started;
        string? log = null;
        if (File.Exists(RegistryBinary))
        {
            var directory = StateDirectory(host);
            Directory.CreateDirectory(directory);
            var config = Path.Combine(directory, "config.yml");
            log = Path.Combine(directory, "registry.log");
            await File.WriteAllTextAsync(config, RegistryServer.Config(host, Path.Combine(directory, "data")), cancellationToken);
            var pid = await StartDetachedAsync(RegistryBinary, config, log, withheld ?? [], cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(directory, "registry.pid"), pid.ToString(), cancellationToken);
            started = $"Started a local registry at {host} ({RegistryBinary}, pid {pid}, data and log in {directory}).";
        }
        else
        {
            // The engine every other docker command uses (DOCKER_HOST, DOCKER_CONTEXT, currentContext), resolved once.
            cli ??= (await DockerCli.LocateAsync(cancellationToken)).For(DockerEndpoint.Resolve()).Withholding(withheld ?? []);
            var name = "multiarch-registry-" + host.Replace(':', '-').Replace('.', '-');
            // Host network: CI engines run without a bridge, and the registry must answer on exactly this address.
            await cli.ExecuteAsync($"docker run registry:2 on {host}",
                ["run", "--detach", "--restart", "unless-stopped", "--name", name, "--network", "host",
                    "--env", $"REGISTRY_HTTP_ADDR={host}", "--env", "REGISTRY_STORAGE_DELETE_ENABLED=true", "registry:2"],
                null, cancellationToken);
            started = $"Started a local registry at {host} (container {name} from registry:2).";
        }

        var deadline = DateTime.UtcNow + StartTimeout;
        while (!await AnswersAsync(host, cancellationToken))
        {
            if (DateTime.UtcNow > deadline)
                throw new DockerCommandException($"The local registry started for {host} did not answer /v2/ within " +
                    $"{StartTimeout.TotalSeconds:0} s.", 0, log is not null && File.Exists(log)
                        ? (await File.ReadAllLinesAsync(log, cancellationToken)).TakeLast(CommandOutputTail.Size).ToArray() : []);
            await Task.Delay(200, cancellationToken);
        }
        return started;
    }

    /// <summary>Where a registry started for <paramref name="host"/> keeps its config, data, log and pid file.</summary>
    public static string StateDirectory(string host) =>
        Path.Combine(Path.GetTempPath(), "multiarch-registry-" + host.Replace(':', '-'));

    /// <summary>True when something answers HTTP on <c>http://host/v2/</c> (200, or 401 from a registry with auth).</summary>
    public static Task<bool> AnswersAsync(string host, CancellationToken cancellationToken = default) =>
        RegistryServer.AnswersAsync(host, cancellationToken);

    // setsid puts the registry in its own session so it outlives this process and its terminal; its output goes
    // to a file so no pipe of ours keeps it (or us) waiting. Only a shell can redirect a child that outlives us, so the
    // script is a constant and the paths are its positional parameters ($0..$2), never parsed as shell text.
    private static async Task<int> StartDetachedAsync(string binary, string config, string log, IReadOnlyCollection<string> withheld,
        CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync(new ProcessCommand("/bin/sh",
            ["-c", "setsid \"$0\" serve \"$1\" >\"$2\" 2>&1 </dev/null & echo $!", binary, config, log]) { Withheld = withheld },
            cancellationToken);
        if (result.ExitCode != 0 || !int.TryParse(result.StandardOutput.Trim(), out var pid))
            throw new DockerCommandException($"Could not start {binary} for the local registry: {result.Tail(3)}", result.ExitCode, []);
        return pid;
    }
}
