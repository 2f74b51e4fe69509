namespace MultiArch.Docker;

/// <summary>Checks both build drivers run before starting a build, so a missing input is one clear line, not a pull error.</summary>
internal static class BuildPreflight
{
    /// <summary>Validates the request and checks that its local base image exists for the right platform.</summary>
    /// <exception cref="DockerInputException">A path is missing, or the local base image is absent or for another platform.</exception>
    public static async Task CheckAsync(DockerCli cli, ImageBuildRequest request, CancellationToken cancellationToken)
    {
        request.Validate();
        if (request.LocalBaseImage is not { } baseImage) return;
        var platform = await cli.LocalImagePlatformAsync(baseImage, cancellationToken);
        // Without this check BuildKit falls back to pulling the tag, and the user sees a registry error about an image
        // that was never meant to leave this machine.
        if (platform is null)
            throw new DockerInputException(
                $"Base image '{baseImage}' is not in the local Docker engine: " +
                $"build the base for {request.Platform} first (BuildBase), then build this image.");
        if (platform.Os != request.Platform.Os || platform.Architecture != request.Platform.Architecture)
            throw new DockerInputException(
                $"Base image '{baseImage}' in the local Docker engine is {platform}, not {request.Platform}: " +
                $"build the base for {request.Platform} under its own tag.");
    }
}
