using System.Collections.Concurrent;
using System.Net.Sockets;
using Docker.DotNet;
using Platform = MultiArch.Oci.Platform;

namespace MultiArch.Docker;

/// <summary>
/// Asks the Docker engine (Engine API through Docker.DotNet) whether it is there and what it is, and checks that
/// each platform to build can run on it, natively or through QEMU.
/// </summary>
public sealed class DockerEngineProbe
{
    // Docker.DotNet 3.125.15 rather than Docker.DotNet.Enhanced: the probe asks only for version, info and the network
    // list, and Docker.DotNet sends those unversioned (HttpUtility.BuildUri adds /v{version}/ only when CreateClient is
    // given one: https://github.com/dotnet/Docker.DotNet/blob/master/src/Docker.DotNet/HttpUtility.cs), so an engine
    // answers in its own current API, including Docker 29, which refuses requests below API 1.44
    // (https://docs.docker.com/engine/release-notes/29/). The fields read (Version, ApiVersion, Driver, DriverStatus,
    // OSType, Architecture, DockerRootDir, network Driver) are unchanged since API 1.41. What Enhanced adds (current
    // models, separate transport packages) the probe does not read, and it would not help with what it cannot do
    // (ssh:// and TLS contexts are turned into one line instead); switching would swap the dependency for nothing.
    /// <summary>The engine address when nothing names another (kept for callers; see <see cref="DockerEndpoint.DefaultHost"/>).</summary>
    public const string DefaultEndpoint = DockerEndpoint.DefaultHost;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly QemuEmulation _emulation;
    private readonly ConcurrentDictionary<Platform, Task<PlatformSupport>> _support = new();

    /// <summary>Probes the engine at this address (a <c>DOCKER_HOST</c> value); null resolves it from this process's environment.</summary>
    /// <param name="dockerHost">The engine address, or null to resolve it as the docker CLI would
    /// (<see cref="DockerEndpoint.Resolve()"/>).</param>
    /// <param name="emulation">Where to read QEMU registrations; null reads the kernel's binfmt_misc.</param>
    /// <exception cref="DockerEngineUnavailableException">Resolving found a broken docker config or context.</exception>
    public DockerEngineProbe(string? dockerHost = null, QemuEmulation? emulation = null)
        : this(dockerHost is null ? DockerEndpoint.Resolve() : DockerEndpoint.FromHost(dockerHost), emulation) { }

    /// <summary>Probes the engine at a resolved endpoint.</summary>
    public DockerEngineProbe(DockerEndpoint endpoint, QemuEmulation? emulation = null)
    {
        Endpoint = endpoint;
        _emulation = emulation ?? new QemuEmulation();
    }

    /// <summary>The engine probed; the client in <see cref="DockerEngineStatus.Cli"/> talks to the same one.</summary>
    public DockerEndpoint Endpoint { get; }

    /// <summary>Environment variables the docker client it locates never passes on (the build's secrets).</summary>
    public IReadOnlyCollection<string> Withheld { get; init; } = [];

    /// <summary>
    /// The docker client to use (<c>--docker-cli</c>); null: located as
    /// <see cref="DockerCli.LocateAsync(CancellationToken)"/> does.
    /// </summary>
    public string? Client { get; init; }

    /// <summary>
    /// Probes the engine and locates the client. Never throws for an unreachable engine: see
    /// <see cref="DockerEngineStatus.Problem"/>.
    /// </summary>
    public async Task<DockerEngineStatus> ProbeAsync(CancellationToken cancellationToken = default)
    {
        DockerCli? cli = null;
        try
        {
            // One decision: the client gets the probed address as DOCKER_HOST instead of resolving contexts again.
            cli = (await DockerCli.LocateAsync(Withheld, Client, cancellationToken)).For(Endpoint);
        }
        // Located: no client is reported through Cli == null. Asked for (--docker-cli): its own problem is the error.
        catch (DockerEngineUnavailableException) when (Client is null) { }

        if (Unsupported(Endpoint) is { } unsupported)
            return new DockerEngineStatus { Endpoint = Endpoint.Host, Problem = unsupported, Cli = cli };
        using var configuration = new DockerClientConfiguration(new Uri(Endpoint.Host), defaultTimeout: Timeout);
        using var client = configuration.CreateClient();
        try
        {
            var version = await client.System.GetVersionAsync(cancellationToken);
            var info = await client.System.GetSystemInfoAsync(cancellationToken);
            return new DockerEngineStatus
            {
                Endpoint = Endpoint.Host,
                DataRoot = info.DockerRootDir,
                ServerVersion = version.Version,
                ApiVersion = version.APIVersion,
                StorageDriver = info.Driver,
                ContainerdImageStore = (info.DriverStatus ?? []).Any(pair =>
                    pair.Length == 2 && pair[0] == "driver-type" && pair[1] == "io.containerd.snapshotter.v1"),
                NativePlatform = Platform.Create(info.OSType, info.Architecture),
                Cli = cli,
            };
        }
        catch (Exception error) when (error is HttpRequestException or SocketException or IOException or TimeoutException
                                          or OperationCanceledException or DockerApiException
                                      && !cancellationToken.IsCancellationRequested)
        {
            return new DockerEngineStatus { Endpoint = Endpoint.Host, Problem = Unreachable(Endpoint, error), Cli = cli };
        }
    }

    /// <summary>
    /// How the probed engine runs <paramref name="platform"/>: natively, under QEMU, or not at all (with the fix), found
    /// by running <see cref="PlatformProbe"/> in it. Asked once per platform for the life of this probe.
    /// </summary>
    public Task<PlatformSupport> SupportAsync(DockerEngineStatus status, Platform platform, CancellationToken cancellationToken = default)
    {
        if (status.NativePlatform is not { } native || status.Cli is null)
            throw new InvalidOperationException("The engine must be reachable, with a client, before a platform is probed: " +
                "use EnsureReadyAsync.");
        return _support.GetOrAdd(platform, async p =>
        {
            if (p.Os != native.Os) return PlatformSupport.Decide(p, native, _emulation.StateOf(p), null, _emulation.BinfmtDirectory);
            var outcome = await new PlatformProbe(status.Cli).RunAsync(p, cancellationToken);
            return PlatformSupport.Decide(p, native, _emulation.StateOf(p), outcome, _emulation.BinfmtDirectory);
        });
    }

    /// <summary>
    /// Null when <paramref name="platform"/> runs on the probed engine (natively or through QEMU); else one
    /// line with the fix.
    /// </summary>
    public async Task<string?> PlatformProblemAsync(DockerEngineStatus status, Platform platform,
        CancellationToken cancellationToken = default) =>
        status.Problem ?? (await SupportAsync(status, platform, cancellationToken)).Problem;

    /// <summary>Probes and checks that the engine is reachable, has a client, and can run every platform.</summary>
    /// <exception cref="DockerEngineUnavailableException">The first problem found, as one line with its fix.</exception>
    public async Task<DockerEngineStatus> EnsureReadyAsync(IEnumerable<Platform> platforms, CancellationToken cancellationToken = default)
    {
        var status = await ProbeAsync(cancellationToken);
        if (status.Problem is { } problem) throw new DockerEngineUnavailableException(problem);
        if (status.Cli is null)
            throw new DockerEngineUnavailableException(
                "No docker client found (looked on PATH, /usr/bin/docker, /usr/local/bin/docker): install one, e.g. " +
                "`apt-get install docker.io`.");
        // All platforms at once: each probe is a container start, and a check that waits on them one by one adds up.
        var support = await Task.WhenAll(platforms.Distinct().Select(platform => SupportAsync(status, platform, cancellationToken)));
        if (support.FirstOrDefault(s => s.Problem is not null) is { } missing) throw new DockerEngineUnavailableException(missing.Summary);
        return status;
    }

    // Docker.DotNet speaks unix sockets and HTTP; an ssh:// context (docker context create --docker host=ssh://...) it cannot.
    private static string? Unsupported(DockerEndpoint endpoint) =>
        Uri.TryCreate(endpoint.Host, UriKind.Absolute, out var uri) && uri.Scheme is "unix" or "tcp" or "http" or "https" or "npipe" ? null
            : $"Docker engine address {endpoint.Host} (from {endpoint.Source}) is not one MultiArch can probe (unix://, " +
                "tcp://, http(s)://): " +
              "forward it to a local socket, e.g. `ssh -NL /tmp/docker.sock:/var/run/docker.sock host &`, " +
              "and set DOCKER_HOST=unix:///tmp/docker.sock.";

    private static string Unreachable(DockerEndpoint resolved, Exception error)
    {
        var endpoint = resolved.Host;
        var cause = error;
        while (cause.InnerException is not null) cause = cause.InnerException;
        var socket = endpoint.StartsWith("unix://", StringComparison.Ordinal) ? endpoint["unix://".Length..] : null;
        var reason = socket is not null && !File.Exists(socket) ? "no socket there"
            : cause is OperationCanceledException or TimeoutException ? $"no answer in {Timeout.TotalSeconds:0} s"
            : cause.Message;
        // A context names the engine without DOCKER_HOST: say which, so the user knows what to fix.
        if (resolved.IsNamedContext) reason += $"; from {resolved.Source}";
        return $"Docker engine not reachable at {endpoint} ({reason}): start it with `sudo systemctl start docker` " +
               "(in a container: `dockerd --bridge=none --iptables=false &`), or set DOCKER_HOST to a running engine.";
    }
}
