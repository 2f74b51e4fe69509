using System.Text.Json;
using MultiArch.Oci;

namespace MultiArch.Docker;

/// <summary>
/// Builds with <c>docker buildx build</c>, as on GitHub runners: attestations off (no provenance, no SBOM, so no
/// <c>unknown/unknown</c> entries), the digest read from <c>--metadata-file</c>, and registry or GitHub Actions caches.
/// </summary>
/// <remarks>
/// The two-stage trap: a docker-container (or remote) builder runs BuildKit outside the engine, so an app build whose
/// <c>FROM</c> names a base that was only loaded into the engine would try to pull it and fail with a registry error.
/// When <see cref="ImageBuildRequest.LocalBaseImage"/> is set and the active builder cannot see local images, the build
/// runs on the engine's own <c>default</c> builder (docker driver), which reads the engine's image store. We chose
/// that over <c>--build-context</c> because <c>docker-image://</c> contexts are resolved from a registry by those same
/// builders, and over pushing the base because it must never leave the machine.
/// </remarks>
public sealed class BuildxImageBuilder : IImageBuilder
{
    /// <summary>The builder every engine has: the docker driver inside the engine itself.</summary>
    public const string EngineBuilder = "default";

    private readonly DockerCli _cli;
    private readonly bool _containerdImageStore;
    private BuildxBuilder? _active;

    /// <summary>Builds with this client, which must have buildx.</summary>
    /// <param name="cli">A client whose <see cref="DockerCli.HasBuildx"/> is true.</param>
    /// <param name="containerdImageStore">The engine uses the containerd image store (the docker driver can then export caches).</param>
    public BuildxImageBuilder(DockerCli cli, bool containerdImageStore)
    {
        if (!cli.HasBuildx) throw new ArgumentException($"The docker client '{cli.Path}' has no buildx.", nameof(cli));
        (_cli, _containerdImageStore) = (cli, containerdImageStore);
    }

    /// <inheritdoc />
    public string Name => "buildx";

    /// <inheritdoc />
    public string? NoLayerCacheReason => null;

    /// <inheritdoc />
    public bool PushesWhileBuilding => true;

    /// <inheritdoc />
    public async Task<ImageBuildResult> BuildAsync(ImageBuildRequest request, Action<string> output,
        CancellationToken cancellationToken = default)
    {
        await BuildPreflight.CheckAsync(_cli, request, cancellationToken);
        _active ??= await _cli.InspectBuilderAsync(cancellationToken);
        var plan = Plan(request, _active!, _containerdImageStore);
        foreach (var note in plan.Notes) output(note);

        var metadataFile = Path.Combine(Path.GetTempPath(), $"multiarch-metadata-{Guid.NewGuid():N}.json");
        try
        {
            var networkHost = request.NetworkHost || !await _cli.HasBridgeNetworkAsync(cancellationToken);
            var step = $"docker buildx build {request.Platform}";
            var arguments = Arguments(request, metadataFile, networkHost, plan);
            // A push from the build logs in first, as docker push does: the login's budget, the build's none.
            if (request.Push)
                await _cli.ExecuteLoggedInAsync(step, arguments, request.Tags[0].Registry, request.PushCredentials, request.LoginTimeout,
                    budgetsCommand: false, output, cancellationToken);
            else await _cli.ExecuteAsync(step, arguments, output, cancellationToken);
            var (imageId, digest) = ReadMetadata(await File.ReadAllTextAsync(metadataFile, cancellationToken));
            if (request.Push && digest is null)
                throw new DockerCommandException(
                    $"docker buildx build {request.Platform} pushed but wrote no containerimage.digest to its metadata file.", 0, []);
            return new ImageBuildResult(imageId ?? digest?.ToString() ?? "", request.Push ? digest : null, request.Tags);
        }
        finally
        {
            File.Delete(metadataFile);
        }
    }

    /// <summary>Which builder to use and which caches to export, with a line for each choice the user should know about.</summary>
    /// <param name="Builder">The builder to name with <c>--builder</c>, or null for the active one.</param>
    /// <param name="ExportCaches">Whether <c>--cache-to</c> is passed (the docker driver needs the containerd store for it).</param>
    /// <param name="Notes">Lines to show before the build.</param>
    public sealed record BuildPlan(string? Builder, bool ExportCaches, IReadOnlyList<string> Notes);

    /// <summary>Decides the builder and caches for a request, given the active builder.</summary>
    public static BuildPlan Plan(ImageBuildRequest request, BuildxBuilder active, bool containerdImageStore)
    {
        var notes = new List<string>();
        string? builder = null;
        var driver = active.Driver;
        if (request.LocalBaseImage is not null && !active.SeesLocalImages)
        {
            builder = EngineBuilder;
            driver = "docker";
            notes.Add($"Building on the '{EngineBuilder}' builder: the active builder '{active.Name}' ({active.Driver}) " +
                $"cannot see the local base image {request.LocalBaseImage}.");
        }
        var exportCaches = request.CacheTo.Count > 0 && (driver != "docker" || containerdImageStore);
        if (request.CacheTo.Count > 0 && !exportCaches)
            notes.Add("Skipping --cache-to: the docker driver exports caches only with the containerd image store turned on.");
        return new BuildPlan(builder, exportCaches, notes);
    }

    /// <summary>The arguments after <c>docker</c> for this request.</summary>
    /// <param name="request">What to build.</param>
    /// <param name="metadataFile">Where buildx writes the build metadata (digest, config digest).</param>
    /// <param name="networkHost">Build with the host network (the engine has no bridge).</param>
    /// <param name="plan">The builder and cache choices from <see cref="Plan"/>.</param>
    public static IReadOnlyList<string> Arguments(ImageBuildRequest request, string metadataFile, bool networkHost, BuildPlan plan)
    {
        List<string> args = ["buildx", "build"];
        if (plan.Builder is not null) args.AddRange(["--builder", plan.Builder]);
        args.AddRange(["--progress", "plain", "--platform", request.Platform.ToString(),
            "--provenance=false", "--sbom=false", "--metadata-file", metadataFile, "--file", request.DockerfilePath]);
        if (networkHost || request.NetworkHost) args.AddRange(["--network", "host"]);
        foreach (var tag in request.Tags) args.AddRange(["--tag", tag.ToString()]);
        foreach (var (name, value) in request.BuildArgs) args.AddRange(["--build-arg", $"{name}={value}"]);
        foreach (var (name, value) in request.Labels) args.AddRange(["--label", $"{name}={value}"]);
        if (request.Target is not null) args.AddRange(["--target", request.Target]);
        foreach (var cache in request.CacheFrom) args.AddRange(["--cache-from", cache.ToBuildxValue(export: false)]);
        if (plan.ExportCaches)
            foreach (var cache in request.CacheTo) args.AddRange(["--cache-to", cache.ToBuildxValue(export: true)]);
        // Build and push in one step: --push sends the image from BuildKit straight to the registry (no --load into the
        // engine, no docker push), and the digest it stored comes back as containerimage.digest in the metadata file.
        // Only unit-tested here (Debian 12 ships no docker-buildx); the classic builder keeps its build, then docker push.
        if (request.Push) args.Add("--push");
        else args.Add("--load");
        args.Add(Path.GetFullPath(request.ContextDirectory));
        return args;
    }

    /// <summary>Reads <c>containerimage.config.digest</c> (the image ID) and <c>containerimage.digest</c> from a metadata file.</summary>
    public static (string? ImageId, Digest? Digest) ReadMetadata(string json)
    {
        using var document = JsonDocument.Parse(json);
        string? Read(string name) =>
            document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return (Read("containerimage.config.digest"),
            Digest.TryParse(Read("containerimage.digest"), out var digest) ? digest : null);
    }
}
