namespace MultiArch.Docker;

/// <summary>
/// Chooses the build driver the way GitHub runners behave: buildx when the client has it, else BuildKit via
/// the classic CLI.
/// </summary>
public static class ImageBuilderSelector
{
    /// <summary>
    /// Returns a <see cref="BuildxImageBuilder"/> when <paramref name="cli"/> has buildx, else a
    /// <see cref="ClassicImageBuilder"/>.
    /// </summary>
    /// <param name="cli">The located client.</param>
    /// <param name="containerdImageStore">Whether the engine uses the containerd image store (see
    /// <see cref="DockerEngineStatus"/>).</param>
    public static IImageBuilder Select(DockerCli cli, bool containerdImageStore) =>
        cli.HasBuildx ? new BuildxImageBuilder(cli, containerdImageStore) : new ClassicImageBuilder(cli);
}
