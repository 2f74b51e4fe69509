using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using MultiArch.Build;
using MultiArch.Docker;
using MultiArch.Oci;

namespace MultiArch.Components;

/// <summary>
/// The state one run of the pipeline shares between its targets and platforms: the probed engine, registry
/// clients, base tags built and digests pushed. Components are interfaces and cannot hold fields, so the
/// state hangs off the build instance (never static: two builds in one process stay apart).
/// </summary>
public sealed class PipelineContext
{
    static readonly ConditionalWeakTable<TargetBuild, PipelineContext> Contexts = new();
    readonly TargetBuild _build;
    readonly SemaphoreSlim _dockerGate = new(1, 1);
    readonly ConcurrentDictionary<string, RegistryClient> _clients = new();
    DockerEngineProbe? _probe;
    DockerEngineStatus? _docker;
    IImageBuilder? _builder;
    GitInfo? _git;
    readonly object _gitGate = new();
    IReadOnlyList<string>? _withheld;
    readonly object _passwordGate = new();
    string? _password;

    /// <summary>The context of a running build.</summary>
    public static PipelineContext Of(TargetBuild build) => Contexts.GetValue(build, b => new PipelineContext(b));

    PipelineContext(TargetBuild build) => _build = build;

    /// <summary>Local tags of base images built this run, by image name and platform.</summary>
    public ConcurrentDictionary<(string Image, Platform Platform), string> BaseTags { get; } = new();

    /// <summary>Per-arch images buildx pushed while building them (BuildApp), by image name and platform: PushArch's push is
    /// done.</summary>
    public ConcurrentDictionary<(string Image, Platform Platform), Digest> PushedWhileBuilding { get; } = new();

    /// <summary>Per-arch images pushed this run, by image name and platform.</summary>
    public ConcurrentDictionary<(string Image, Platform Platform), DigestRecord> Pushed { get; } = new();

    /// <summary>Each lane's plan (settings, input digest, the unchanged image to reuse), made once by its first target.</summary>
    readonly Dictionary<(string Image, Platform Platform), Task<LanePlan>> _plans = [];
    // The plans already made, read without waiting on anything.
    readonly ConcurrentDictionary<(string Image, Platform Platform), LanePlan> _made = new();

    /// <summary>The lane's plan: the one already started, else <paramref name="compute"/> started now (once, however many ask).</summary>
    public Task<LanePlan> PlanOnceAsync(string image, Platform platform, Func<Task<LanePlan>> compute)
    {
        // Under the lock only to start it: the computation itself runs outside, on the thread pool.
        lock (_plans)
            return _plans.TryGetValue((image, platform), out var plan) ? plan
                : _plans[(image, platform)] = Task.Run(async () => _made[(image, platform)] = await compute());
    }

    /// <summary>Keeps a plan made ahead of the lane (found unchanged), unless the lane already has one.</summary>
    public void Offer(string image, Platform platform, LanePlan plan)
    {
        lock (_plans) if (_plans.TryAdd((image, platform), Task.FromResult(plan))) _made[(image, platform)] = plan;
    }

    /// <summary>True the first time this run asks about <paramref name="note"/>: for lines a run should say once, not once per
    /// lane.</summary>
    public bool FirstTime(string note) => _said.TryAdd(note, 0);

    readonly ConcurrentDictionary<string, byte> _said = new(StringComparer.Ordinal);

    /// <summary>True when the lane's plan is made and found its per-arch tag already holds an image of this build's inputs.</summary>
    public bool KnownUnchanged(string image, Platform platform) =>
        _made.TryGetValue((image, platform), out var plan) && plan.Unchanged is not null;

    /// <summary>The manifests of the images the Dockerfiles start FROM, by reference as written, fetched once per run.</summary>
    public ConcurrentDictionary<string, Task<ManifestDocument>> ResolvedImages { get; } = new();

    /// <summary>A short id for this run, used in base tags so parallel runs never share one.</summary>
    public string RunId { get; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString();

    /// <summary>Git facts for labels and the default version (read once).</summary>
    public GitInfo Git(TargetBuild build)
    {
        // Parallel lanes ask at once: one of them reads, the others wait for it instead of starting git again.
        lock (_gitGate) return _git ??= GitInfo.Read(build.RootDirectory, build.Environment, Withheld);
    }

    /// <summary>
    /// The environment variables no tool this pipeline starts (docker, git, the local registry) may inherit: those
    /// of every <c>[Secret]</c> parameter, and GITHUB_TOKEN (the default registry password for ghcr.io). A child's
    /// environment is readable in <c>/proc/&lt;pid&gt;/environ</c>, and none of these tools needs them.
    /// </summary>
    public IReadOnlyList<string> Withheld => _withheld ??= _build.ParameterService.SecretVariables(
        System.Environment.GetEnvironmentVariables().Keys.Cast<string>().Concat(_build.Environment.Keys).Append("GITHUB_TOKEN"));

    /// <summary>
    /// The registry password from <c>--registry-password-file</c> (a file, or <c>-</c> for standard input), read once and
    /// masked in the log from then on; null when no file is given.
    /// </summary>
    public string? PasswordFromFile(TargetBuild build, string? file)
    {
        if (file is null) return null;
        lock (_passwordGate)
        {
            if (_password is { } known) return known;
            var password = PasswordFile.Read(file).TrimEnd('\r', '\n');
            if (password.Length == 0)
                throw new BuildException($"--registry-password-file {file}: {(file == "-" ? "standard input" : "the file")} is empty: put "
                    + "the password or token in it.");
            build.Log.AddSecret(password);
            return _password = password;
        }
    }

    /// <summary>The engine, probed once; fails with one line naming the fix when it is unreachable or cannot run a platform (asked by
    /// running it there).</summary>
    public async Task<(DockerEngineStatus Status, IImageBuilder Builder)> DockerAsync(IEnumerable<Platform> platforms,
        CancellationToken cancellation)
    {
        await _dockerGate.WaitAsync(cancellation);
        try
        {
            var all = platforms.ToList();
            // The build's environment, not the process's: an in-process run (tests, a host program) may name another engine.
            // Resolved once, as the docker CLI would (DOCKER_HOST, DOCKER_CONTEXT, currentContext); every docker command gets it.
            var probe = _probe ??= new DockerEngineProbe(DockerEndpoint.Resolve(_build.Environment)) { Withheld = Withheld,
                Client = (_build as IMultiArchPipeline)?.DockerClient };
            if (_docker is null)
            {
                _docker = await probe.EnsureReadyAsync(all, cancellation);
                _docker = _docker with { Cli = _docker.Cli!.Withholding(Withheld).MaskingWith(_build.Log.Masker) };
                _builder = ImageBuilderSelector.Select(_docker.Cli!, _docker.ContainerdImageStore);
                // Once per run, which client and engine every build uses (a second client on PATH once went unnoticed).
                _build.Log.Info($"Docker client and engine: {_docker} (engine from {probe.Endpoint.Source}; "
                    + "--docker-cli chooses the client)");
            }
            foreach (var platform in all)
                if (await probe.PlatformProblemAsync(_docker, platform, cancellation) is { } problem)
                    throw new DockerEngineUnavailableException(problem);
            return (_docker, _builder!);
        }
        finally { _dockerGate.Release(); }
    }

    /// <summary>The dry run's throwaway registry, started on first use and stopped when the run ends.</summary>
    public async Task<ScratchRegistry> ScratchRegistryAsync(CancellationToken cancellation)
    {
        await _scratchGate.WaitAsync(cancellation);
        try { return _scratch ??= _build.DisposeAtEnd(await ScratchRegistry.StartAsync(cancellation)); }
        finally { _scratchGate.Release(); }
    }

    /// <summary>The throwaway registry's host once started, else null.</summary>
    public string? ScratchHost => _scratch?.Host;

    readonly SemaphoreSlim _scratchGate = new(1, 1);
    ScratchRegistry? _scratch;

    /// <summary>One registry client per host for the whole run (tokens are cached per scope inside it).</summary>
    public RegistryClient Registry(string host, Func<RegistryClientOptions> options) => _clients.GetOrAdd(host, h =>
        new RegistryClient(h, options()));
}
