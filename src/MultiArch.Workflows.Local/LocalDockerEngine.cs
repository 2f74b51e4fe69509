using MultiArch.Processes;

namespace MultiArch.Workflows.Local;

/// <summary>
/// What <c>docker/setup-docker-action</c> does on a runner, done here: a second dockerd on its own socket, data root
/// and exec root, with the step's <c>daemon-config</c>, a docker CLI context for it in the leg's own
/// <c>DOCKER_CONFIG</c>, and <c>DOCKER_HOST</c> exported only when <c>set-host: true</c> (action.yml v5.4.0:
/// "Set DOCKER_HOST environment variable to docker socket path", default false; src/main.ts calls
/// <c>core.exportVariable('DOCKER_HOST', sockPath)</c> only when it is set). The action writes its context into the
/// runner's ~/.docker; here it goes to a per-leg <c>DOCKER_CONFIG</c> so this machine's own CLI config is untouched.
/// A leg whose tools read only <c>DOCKER_HOST</c> or <c>/var/run/docker.sock</c> then talks to the stock daemon, as on GitHub.
/// </summary>
public sealed class LocalDockerEngine : IAsyncDisposable
{
    /// <summary>The context the action creates (its input <c>context</c>, default <c>setup-docker-action</c>).</summary>
    public const string DefaultContext = "setup-docker-action";

    readonly RunningProcess _process;

    LocalDockerEngine(RunningProcess process, string root, string socket, string dockerConfig, string context) =>
        (_process, Root, Socket, DockerConfig, Context) = (process, root, socket, dockerConfig, context);

    /// <summary>The folder holding the engine's data, exec root, pid file and log.</summary>
    public string Root { get; }

    /// <summary>The engine's socket path (the action's <c>sock</c> output).</summary>
    public string Socket { get; }

    /// <summary>The leg's own docker CLI config folder, whose current context is <see cref="Context"/>.</summary>
    public string DockerConfig { get; }

    /// <summary>The CLI context name pointing at this engine.</summary>
    public string Context { get; }

    /// <summary><c>unix://</c> plus the socket.</summary>
    public string Host => "unix://" + Socket;

    /// <summary>
    /// Starts the engine and waits until it answers; <paramref name="userConfig"/> (login credentials) is copied into the leg's config.
    /// </summary>
    public static async Task<LocalDockerEngine> StartAsync(string? daemonConfig, string? context, string? userConfig, Action<string> log,
        CancellationToken cancellation)
    {
        // A unix socket path is limited to 107 bytes, so the engine lives under /tmp, not in the (deep) leg folder.
        var root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "ma-dockerd-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var socket = Path.Combine(root, "docker.sock");
        var config = Path.Combine(root, "daemon.json");
        await File.WriteAllTextAsync(config, string.IsNullOrWhiteSpace(daemonConfig) ? "{}" : daemonConfig, cancellation);
        var logFile = Path.Combine(root, "dockerd.log");
        var arguments = new[]
        {
            "--host", "unix://" + socket, "--data-root", Path.Combine(root, "data"), "--exec-root", Path.Combine(root, "exec"),
            "--pidfile", Path.Combine(root, "docker.pid"), "--config-file", config,
            // No bridge or iptables: this machine's own engine runs that way, and builds use --network host.
            "--bridge=none", "--iptables=false",
        };
        RunningProcess process;
        // Both streams go to one log file, a line at a time.
        var gate = new object();
        try
        {
            process = ProcessRunner.Start(new ProcessCommand("dockerd", arguments)
            {
                Output = (line, _) => { lock (gate) File.AppendAllText(logFile, line + "\n"); },
            });
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new LocalStepException(
                $"setup-docker-action: dockerd cannot be started here ({e.Message}); install docker.io or run the leg without it.");
        }

        var engine = new LocalDockerEngine(process, root, socket, Path.Combine(root, "cli-config"),
            context is { Length: > 0 } c ? c : DefaultContext);
        try
        {
            await engine.WaitUntilReadyAsync(cancellation);
            await engine.WriteContextAsync(userConfig, cancellation);
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }
        log($"setup-docker-action (emulated): second dockerd on {socket}, context '{engine.Context}' in " +
            $"DOCKER_CONFIG={engine.DockerConfig}.");
        return engine;
    }

    async Task WaitUntilReadyAsync(CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_process.HasExited)
                throw new LocalStepException($"setup-docker-action: the second dockerd exited with {_process.ExitCode}; see " +
                    $"{Path.Combine(Root, "dockerd.log")}.");
            if (File.Exists(Socket)
                && await DockerAsync(["--host", Host, "version", "--format", "{{.Server.Version}}"], null, cancellation) == 0) return;
            if (DateTime.UtcNow > deadline)
                throw new LocalStepException($"setup-docker-action: the second dockerd did not answer on {Socket} within 60 s; see " +
                    $"{Path.Combine(Root, "dockerd.log")}.");
            await Task.Delay(250, cancellation);
        }
    }

    // The action's context switch: `docker context create` + `docker context use` in the leg's own config folder.
    async Task WriteContextAsync(string? userConfig, CancellationToken cancellation)
    {
        Directory.CreateDirectory(DockerConfig);
        if (userConfig is not null && File.Exists(Path.Combine(userConfig, "config.json")))
            File.Copy(Path.Combine(userConfig, "config.json"), Path.Combine(DockerConfig, "config.json"));
        if (await DockerAsync(["context", "create", Context, "--docker", "host=" + Host], DockerConfig, cancellation) != 0
            || await DockerAsync(["context", "use", Context], DockerConfig, cancellation) != 0)
            throw new LocalStepException($"setup-docker-action: docker context create/use '{Context}' failed.");
    }

    static async Task<int> DockerAsync(string[] arguments, string? dockerConfig, CancellationToken cancellation)
    {
        // The distribution's CLI: /usr/local/bin/docker on this machine may be a different build.
        var cli = File.Exists("/usr/bin/docker") ? "/usr/bin/docker" : "docker";
        var result = await ProcessRunner.RunAsync(new ProcessCommand(cli, arguments)
        {
            Withheld = ["DOCKER_HOST", "DOCKER_CONTEXT"],
            Environment = dockerConfig is null ? new Dictionary<string, string?>()
                : new Dictionary<string, string?> { ["DOCKER_CONFIG"] = dockerConfig },
        }, cancellation);
        return result.ExitCode;
    }

    /// <summary>Stops the engine (interrupt, then kill after 20 s) and removes its folder, as the action's post step does.</summary>
    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync(); // the log is complete before its folder goes
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { } // an overlay mount still busy: the temp folder is left behind
        catch (UnauthorizedAccessException) { }
    }
}
