namespace MultiArch.Workflows.Local;

/// <summary>The outcome of an action step run here: its status, the line saying what was (or was not) done, and what it exports.</summary>
public sealed record LocalActionOutcome(LocalStatus Status, string Reason)
{
    /// <summary>The step's outputs (<c>steps.&lt;id&gt;.outputs</c>).</summary>
    public Dictionary<string, string> Outputs { get; } = new(StringComparer.Ordinal);

    /// <summary>Variables later steps of the leg see, as an action's <c>core.exportVariable</c> gives them.</summary>
    public Dictionary<string, string> Env { get; } = new(StringComparer.Ordinal);

    /// <summary>A step whose effect cannot be had on this machine; the reason says why.</summary>
    public static LocalActionOutcome NotEmulated(string reason) => new(LocalStatus.Skipped, "not emulated: " + reason);
}

/// <summary>
/// Emulates the setup actions where their effect can be had here, and says "not emulated: why" where it cannot.
/// setup-docker-action starts a real second engine (<see cref="LocalDockerEngine"/>), stopped when the leg ends.
/// </summary>
public sealed class LocalSetupActions(Action<string> log) : IAsyncDisposable
{
    readonly List<LocalDockerEngine> _engines = [];

    /// <summary>Runs one action step with its (substituted) inputs.</summary>
    public async Task<LocalActionOutcome> RunAsync(ActionReference uses, IReadOnlyDictionary<string, string> with,
        CancellationToken cancellation)
    {
        if (uses.Is("actions/checkout")) return new(LocalStatus.Skipped, "checkout is the current tree");
        if (uses.Is("docker/setup-docker-action")) return await SetUpDockerAsync(with, cancellation);
        if (uses.Is("docker/setup-qemu-action")) return Qemu(with);
        return uses.Action.ToLowerInvariant() switch
        {
            "actions/setup-dotnet" =>
                LocalActionOutcome.NotEmulated("this machine's .NET SDK is used as it is (global.json applies to it)"),
            "docker/setup-buildx-action" => LocalActionOutcome.NotEmulated("no buildx here; the engine's own builder is used"),
            // The generated build legs set MULTIARCH_CACHE=gha; without the runtime token the build says once that layer caching is off.
            "crazy-max/ghaction-github-runtime" =>
                LocalActionOutcome.NotEmulated("there is no Actions runtime here (no ACTIONS_RUNTIME_TOKEN, no cache service) to expose, " +
                    "so --cache gha turns layer caching off; use --cache registry locally"),
            "docker/login-action" =>
                LocalActionOutcome.NotEmulated("the local registry needs no login; other credentials come from ~/.docker/config.json"),
            _ => LocalActionOutcome.NotEmulated($"{uses} has no local equivalent"),
        };
    }

    async Task<LocalActionOutcome> SetUpDockerAsync(IReadOnlyDictionary<string, string> with, CancellationToken cancellation)
    {
        var userConfig = Environment.GetEnvironmentVariable("DOCKER_CONFIG")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        var engine = await LocalDockerEngine.StartAsync(with.GetValueOrDefault("daemon-config"), with.GetValueOrDefault("context"),
            userConfig, log, cancellation);
        _engines.Add(engine);
        var setHost = with.GetValueOrDefault("set-host") == "true";
        var outcome = new LocalActionOutcome(LocalStatus.Succeeded,
            $"emulated: second dockerd on {engine.Socket}, CLI context '{engine.Context}'"
                + (setHost ? ", DOCKER_HOST set" : "; DOCKER_HOST not set (no set-host: true)"));
        outcome.Outputs["sock"] = engine.Socket;
        outcome.Env["DOCKER_CONFIG"] = engine.DockerConfig;
        if (setHost) outcome.Env["DOCKER_HOST"] = engine.Host;
        return outcome;
    }

    // Registering emulators needs the tonistiigi/binfmt image, which this machine cannot pull; it can say whether they are there.
    static LocalActionOutcome Qemu(IReadOnlyDictionary<string, string> with)
    {
        var wanted = (with.GetValueOrDefault("platforms") is { Length: > 0 } p ? p : "all")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (wanted.Contains("all"))
            return LocalActionOutcome.NotEmulated("platforms: all needs the binfmt image; name the emulators a leg needs");
        var missing = wanted.Where(w => !File.Exists($"/proc/sys/fs/binfmt_misc/qemu-{BinfmtName(w)}")).ToList();
        return missing.Count == 0
            ? new(LocalStatus.Succeeded, $"emulated: binfmt for {string.Join(", ", wanted)} is already registered on this machine")
            : LocalActionOutcome.NotEmulated($"registering {string.Join(", ", missing)} needs the binfmt image; install qemu-user-static " +
                "here");
    }

    static string BinfmtName(string platform) => platform switch
    {
        "arm64" => "aarch64",
        "amd64" => "x86_64",
        "386" => "i386",
        "ppc64le" => "ppc64le",
        var other => other,
    };

    /// <summary>Stops every engine this leg started (the actions' post steps).</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var engine in _engines) await engine.DisposeAsync();
        _engines.Clear();
    }
}
