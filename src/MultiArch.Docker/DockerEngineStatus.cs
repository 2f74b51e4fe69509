using MultiArch.Oci;

namespace MultiArch.Docker;

/// <summary>What <see cref="DockerEngineProbe"/> found out about the engine and the client.</summary>
public sealed record DockerEngineStatus
{
    /// <summary>The engine address probed, e.g. <c>unix:///var/run/docker.sock</c>.</summary>
    public required string Endpoint { get; init; }

    /// <summary>True when the engine answered.</summary>
    public bool Reachable => Problem is null;

    /// <summary>Null when reachable; else one line saying why not and how to start the engine.</summary>
    public string? Problem { get; init; }

    /// <summary>Where the engine keeps its images (<c>DockerRootDir</c>), which tells two engines on one machine apart.</summary>
    public string? DataRoot { get; init; }

    /// <summary>The engine version, e.g. <c>20.10.24+dfsg1</c>.</summary>
    public string? ServerVersion { get; init; }

    /// <summary>The engine's API version, e.g. <c>1.41</c>.</summary>
    public string? ApiVersion { get; init; }

    /// <summary>The storage driver, e.g. <c>overlay2</c> (or <c>overlayfs</c> with the containerd image store).</summary>
    public string? StorageDriver { get; init; }

    /// <summary>
    /// True when the engine uses the containerd image store (<c>driver-type: io.containerd.snapshotter.v1</c>),
    /// which keeps multi-platform images and lets the docker buildx driver export caches.
    /// </summary>
    public bool ContainerdImageStore { get; init; }

    /// <summary>The platform the engine runs natively, e.g. linux/amd64.</summary>
    public Platform? NativePlatform { get; init; }

    /// <summary>The docker client that will be used, or null when none is installed.</summary>
    public DockerCli? Cli { get; init; }

    /// <summary>One line for the log, e.g. <c>Docker 20.10.24 (API 1.41) at unix:///..., linux/amd64, overlay2, ...</c>.</summary>
    public override string ToString() => !Reachable ? Problem! :
        $"Docker {ServerVersion} (API {ApiVersion}) at {Endpoint}, {NativePlatform}, storage {StorageDriver}, " +
        $"containerd image store {(ContainerdImageStore ? "on" : "off")}, " +
        (Cli is null ? "no docker client" : Cli.HasBuildx ? $"buildx {Cli.BuildxVersion} ({Cli.Path})" : "no buildx, " +
            $"BuildKit via {Cli.Path}");
}
