using MultiArch.Build;
using MultiArch.Docker;

namespace MultiArch.Components;

/// <summary>
/// A convenient base for builds that publish images: a <see cref="TargetBuild"/> with a Docker client at hand for
/// steps of your own (smoke tests and the like).
/// </summary>
public abstract class MultiArchBuild : TargetBuild
{
    /// <summary>
    /// The Docker client (located on first use: buildx when present, else /usr/bin/docker with BuildKit), aimed at the
    /// engine the pipeline uses: the build's environment resolved as the docker CLI does (DOCKER_HOST, DOCKER_CONTEXT, currentContext).
    /// </summary>
    public DockerCli Docker => _docker ??= DockerCli.LocateAsync([], (this as IMultiArchPipeline)?.DockerClient, Cancellation).GetAwaiter()
        .GetResult().For(DockerEndpoint.Resolve(Environment)).MaskingWith(Log.Masker);
    DockerCli? _docker;
}
