using MultiArch.Oci;

namespace MultiArch.Docker;

/// <summary>
/// Builds with BuildKit through the classic CLI (<c>DOCKER_BUILDKIT=1 docker build</c>), for clients without buildx
/// such as Debian's docker.io. The image lands in the local engine, so a later <c>FROM</c> sees it; pushing is a
/// separate <c>docker push</c> per tag.
/// </summary>
public sealed class ClassicImageBuilder : IImageBuilder
{
    private readonly DockerCli _cli;

    /// <summary>Builds with this client (it must have BuildKit built in, as Debian's /usr/bin/docker has).</summary>
    public ClassicImageBuilder(DockerCli cli) => _cli = cli;

    /// <inheritdoc />
    public string Name => "docker build (BuildKit)";

    /// <inheritdoc />
    public bool PushesWhileBuilding => false;

    /// <inheritdoc />
    public string? NoLayerCacheReason => $"no buildx on the docker client {_cli.Path}, " +
        "and the classic docker build cannot export a cache (install docker-buildx to use --cache)";

    /// <inheritdoc />
    public async Task<ImageBuildResult> BuildAsync(ImageBuildRequest request, Action<string> output,
        CancellationToken cancellationToken = default)
    {
        await BuildPreflight.CheckAsync(_cli, request, cancellationToken);
        foreach (var cache in request.CacheTo)
            output($"Skipping --cache-to {cache.ToBuildxValue(true)}: " +
                "the classic builder cannot export a cache (install buildx for that).");
        foreach (var cache in request.CacheFrom.Where(cache => cache.Type != "registry"))
            output($"Skipping --cache-from {cache}: the classic builder reads only registry caches (install buildx for that).");

        var idFile = Path.Combine(Path.GetTempPath(), $"multiarch-iid-{Guid.NewGuid():N}");
        try
        {
            var networkHost = request.NetworkHost || !await _cli.HasBridgeNetworkAsync(cancellationToken);
            await _cli.ExecuteAsync($"docker build {request.Platform}", Arguments(request, idFile, networkHost), output,
                cancellationToken);
            var imageId = (await File.ReadAllTextAsync(idFile, cancellationToken)).Trim();

            Digest? pushed = null;
            if (request.Push)
                foreach (var tag in request.Tags)
                    pushed = await _cli.PushAsync(tag, output, cancellationToken);
            return new ImageBuildResult(imageId, pushed, request.Tags);
        }
        finally
        {
            File.Delete(idFile);
        }
    }

    /// <summary>The arguments after <c>docker</c> for this request (the push is separate).</summary>
    /// <param name="request">What to build.</param>
    /// <param name="idFile">Where docker writes the image ID.</param>
    /// <param name="networkHost">Build with the host network (the engine has no bridge).</param>
    public static IReadOnlyList<string> Arguments(ImageBuildRequest request, string idFile, bool networkHost)
    {
        List<string> args = ["build", "--progress", "plain", "--platform", request.Platform.ToString(),
            "--iidfile", idFile, "--file", request.DockerfilePath];
        if (networkHost || request.NetworkHost) args.AddRange(["--network", "host"]);
        foreach (var tag in request.Tags) args.AddRange(["--tag", tag.ToString()]);
        foreach (var (name, value) in request.BuildArgs) args.AddRange(["--build-arg", $"{name}={value}"]);
        foreach (var (name, value) in request.Labels) args.AddRange(["--label", $"{name}={value}"]);
        if (request.Target is not null) args.AddRange(["--target", request.Target]);
        // The classic CLI can only import a cache from an image in a registry; a gha cache needs buildx.
        foreach (var cache in request.CacheFrom.Where(cache => cache.Type == "registry"))
            args.AddRange(["--cache-from", cache.Value]);
        args.Add(Path.GetFullPath(request.ContextDirectory));
        return args;
    }
}
