using MultiArch.Oci;

namespace MultiArch.Docker;

// Local images and containers: run, tag, inspect; the engine's bridge network and buildx builder.
public sealed partial class DockerCli
{
    /// <summary>
    /// Runs a container of <paramref name="image"/> for <paramref name="platform"/> (under QEMU when foreign),
    /// removes it afterwards, and returns what it printed on stdout. Uses the host network when the engine has no bridge.
    /// </summary>
    /// <param name="image">An image reference or ID in the local engine (or pullable).</param>
    /// <param name="platform">The platform to run, e.g. linux/arm64.</param>
    /// <param name="arguments">The command and arguments to run in the container (may be empty for its default).</param>
    /// <param name="output">Receives each output line as it comes, or null.</param>
    /// <param name="cancellationToken">Stops the container process.</param>
    /// <exception cref="DockerCommandException">The container exited non-zero.</exception>
    public async Task<string> RunAsync(string image, Platform platform, IReadOnlyList<string> arguments,
        Action<string>? output = null, CancellationToken cancellationToken = default)
    {
        List<string> args = ["run", "--rm", "--platform", platform.ToString()];
        if (!await HasBridgeNetworkAsync(cancellationToken)) args.AddRange(["--network", "host"]);
        args.Add(image);
        args.AddRange(arguments);
        return await ExecuteAsync($"docker run {image} ({platform})", args, output, cancellationToken);
    }

    /// <summary>Adds a tag to a local image.</summary>
    /// <exception cref="DockerCommandException">The source image does not exist.</exception>
    public Task TagAsync(string source, string target, CancellationToken cancellationToken = default) =>
        ExecuteAsync($"docker tag {source} {target}", ["tag", source, target], null, cancellationToken);

    /// <summary>The platform of a local image, or null when the engine does not have it.</summary>
    public async Task<Platform?> LocalImagePlatformAsync(string image, CancellationToken cancellationToken = default)
    {
        var result = await AskAsync(["image", "inspect", "--format", "{{.Os}}/{{.Architecture}}/{{.Variant}}", image], cancellationToken);
        if (result.ExitCode != 0) return null;
        var parts = result.StandardOutput.Trim().Split('/');
        return Platform.Create(parts[0], parts[1], parts.Length > 2 ? parts[2] : null);
    }

    /// <summary>
    /// True when the engine has its default <c>bridge</c> network. Engines started with <c>--bridge=none</c>
    /// (CI containers) have none, so builds and containers must use the host network there.
    /// </summary>
    public async Task<bool> HasBridgeNetworkAsync(CancellationToken cancellationToken = default)
    {
        if (_hasBridge is { } known) return known;
        var result = await AskAsync(["network", "ls", "--filter", "driver=bridge", "--format", "{{.Name}}"], cancellationToken);
        return (_hasBridge = result.StandardOutput.Split('\n').Any(name => name.Trim() == "bridge")).Value;
    }

    /// <summary>The active buildx builder (<c>docker buildx inspect</c>), or null when this client has no buildx.</summary>
    public async Task<BuildxBuilder?> InspectBuilderAsync(CancellationToken cancellationToken = default)
    {
        if (!HasBuildx) return null;
        var text = await ExecuteAsync("docker buildx inspect", ["buildx", "inspect"], null, cancellationToken);
        return BuildxBuilder.Parse(text);
    }
}
