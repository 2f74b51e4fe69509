using System.Net.Sockets;
using Docker.DotNet;
using Docker.DotNet.Models;
using Platform = MultiArch.Oci.Platform;

namespace MultiArch.Docker;

/// <summary>
/// Asks the Docker engine (Engine API through Docker.DotNet) whether it is there and what it is, and checks that
/// each platform to build can run on it, natively or through QEMU.
/// </summary>
public sealed class DockerEngineProbe
{
    /// <summary>The engine address when <c>DOCKER_HOST</c> is not set.</summary>
    public const string DefaultEndpoint = "unix:///var/run/docker.sock";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly QemuEmulation _emulation;
    private readonly bool _explicitHost;

    /// <summary>Probes an engine.</summary>
    /// <param name="dockerHost">The engine address; null reads <c>DOCKER_HOST</c>, then uses <see cref="DefaultEndpoint"/>.</param>
    /// <param name="emulation">Where to read QEMU registrations; null reads the kernel's binfmt_misc.</param>
    public DockerEngineProbe(string? dockerHost = null, QemuEmulation? emulation = null)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("DOCKER_HOST");
        Endpoint = dockerHost ?? (string.IsNullOrEmpty(fromEnvironment) ? DefaultEndpoint : fromEnvironment);
        _explicitHost = dockerHost is not null;
        _emulation = emulation ?? new QemuEmulation();
    }

    /// <summary>The engine address probed.</summary>
    public string Endpoint { get; }

    /// <summary>Environment variables the docker client it locates never passes on (the build's secrets).</summary>
    public IReadOnlyCollection<string> Withheld { get; init; } = [];

    /// <summary>Probes the engine and locates the client. Never throws for an unreachable engine: see <see cref="DockerEngineStatus.Problem"/>.</summary>
    public async Task<DockerEngineStatus> ProbeAsync(CancellationToken cancellationToken = default)
    {
        DockerCli? cli = null;
        try
        {
            cli = await DockerCli.LocateAsync(Withheld, cancellationToken);
            // The client reads DOCKER_HOST itself; an address given to the probe must reach it the same way.
            if (_explicitHost) cli = new DockerCli(cli.Path, cli.BuildxVersion) { DockerHost = Endpoint };
        }
        catch (DockerEngineUnavailableException) { /* reported through Cli == null */ }

        using var configuration = new DockerClientConfiguration(new Uri(Endpoint), defaultTimeout: Timeout);
        using var client = configuration.CreateClient();
        try
        {
            var version = await client.System.GetVersionAsync(cancellationToken);
            var info = await client.System.GetSystemInfoAsync(cancellationToken);
            var networks = await client.Networks.ListNetworksAsync(new NetworksListParameters(), cancellationToken);
            return new DockerEngineStatus
            {
                Endpoint = Endpoint,
                ServerVersion = version.Version,
                ApiVersion = version.APIVersion,
                StorageDriver = info.Driver,
                ContainerdImageStore = (info.DriverStatus ?? []).Any(pair =>
                    pair.Length == 2 && pair[0] == "driver-type" && pair[1] == "io.containerd.snapshotter.v1"),
                NativePlatform = Platform.Create(info.OSType, info.Architecture),
                HasBridgeNetwork = networks.Any(network => network.Driver == "bridge"),
                Cli = cli,
            };
        }
        catch (Exception error) when (error is HttpRequestException or SocketException or IOException or TimeoutException
                                          or OperationCanceledException or DockerApiException
                                      && !cancellationToken.IsCancellationRequested)
        {
            return new DockerEngineStatus { Endpoint = Endpoint, Problem = Unreachable(Endpoint, error), Cli = cli };
        }
    }

    /// <summary>
    /// Null when <paramref name="platform"/> can run on the probed engine (natively or through QEMU); else one line
    /// naming what is missing and the command that fixes it.
    /// </summary>
    public string? EmulationProblem(DockerEngineStatus status, Platform platform) =>
        status.NativePlatform is { } native ? _emulation.Problem(platform, native) : status.Problem;

    /// <summary>Probes and checks that the engine is reachable, has a client, and can run every platform.</summary>
    /// <exception cref="DockerEngineUnavailableException">The first problem found, as one line with its fix.</exception>
    public async Task<DockerEngineStatus> EnsureReadyAsync(IEnumerable<Platform> platforms, CancellationToken cancellationToken = default)
    {
        var status = await ProbeAsync(cancellationToken);
        if (status.Problem is { } problem) throw new DockerEngineUnavailableException(problem);
        if (status.Cli is null)
            throw new DockerEngineUnavailableException(
                "No docker client found (looked on PATH, /usr/bin/docker, /usr/local/bin/docker): install one, e.g. `apt-get install docker.io`.");
        foreach (var platform in platforms)
            if (EmulationProblem(status, platform) is { } missing) throw new DockerEngineUnavailableException(missing);
        return status;
    }

    private static string Unreachable(string endpoint, Exception error)
    {
        var cause = error;
        while (cause.InnerException is not null) cause = cause.InnerException;
        var socket = endpoint.StartsWith("unix://", StringComparison.Ordinal) ? endpoint["unix://".Length..] : null;
        var reason = socket is not null && !File.Exists(socket) ? "no socket there"
            : cause is OperationCanceledException or TimeoutException ? $"no answer in {Timeout.TotalSeconds:0} s"
            : cause.Message;
        return $"Docker engine not reachable at {endpoint} ({reason}): start it with `sudo systemctl start docker` " +
               "(in a container: `dockerd --bridge=none --iptables=false &`), or set DOCKER_HOST to a running engine.";
    }
}
