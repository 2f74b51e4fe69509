namespace MultiArch.Docker;

/// <summary>Builds one image for one platform with a Docker build driver.</summary>
public interface IImageBuilder
{
    /// <summary>A short name for logs: <c>buildx</c> or <c>docker build (BuildKit)</c>.</summary>
    string Name { get; }

    /// <summary>Why this builder cannot use a layer cache (<see cref="BuildCache"/>), or null when it can.</summary>
    string? NoLayerCacheReason { get; }

    /// <summary>
    /// Whether a request with <see cref="ImageBuildRequest.Push"/> pushes from the build itself (buildx <c>--push</c>, no
    /// copy in the engine) rather than by a <c>docker push</c> after it.
    /// </summary>
    bool PushesWhileBuilding { get; }

    /// <summary>Validates the request, builds it, tags it, and pushes it when asked.</summary>
    /// <param name="request">What to build.</param>
    /// <param name="output">Receives each output line (build steps, then push progress), already redacted.</param>
    /// <param name="cancellationToken">Kills the build.</param>
    /// <exception cref="DockerInputException">Bad input, found before anything runs.</exception>
    /// <exception cref="DockerCommandException">The build or push failed; carries the failing step's last lines.</exception>
    Task<ImageBuildResult> BuildAsync(ImageBuildRequest request, Action<string> output,
        CancellationToken cancellationToken = default);
}
