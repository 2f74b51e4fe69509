using System.Runtime.ExceptionServices;
using MultiArch.Build;
using MultiArch.Docker;

namespace MultiArch.Components;

/// <summary>
/// A convenient base for builds that publish images: a <see cref="TargetBuild"/> with a Docker client at hand for
/// steps of your own (smoke tests and the like).
/// </summary>
public abstract class MultiArchBuild : TargetBuild
{
    DockerCli? _docker;
    ExceptionDispatchInfo? _dockerProblem;

    /// <summary>
    /// The Docker client (buildx when present, else /usr/bin/docker with BuildKit), aimed at the engine the pipeline uses:
    /// the build's environment resolved as the docker CLI does (DOCKER_HOST, DOCKER_CONTEXT, currentContext). Located as
    /// the run starts; when there is none, only a target that uses it fails, with the reason.
    /// </summary>
    public DockerCli Docker
    {
        get
        {
            _dockerProblem?.Throw();
            return _docker ?? throw new InvalidOperationException("The Docker client is located as the run starts; use it from a target.");
        }
    }

    // Located once, before any target: a target body reads Docker synchronously, and nothing may block to find it.
    protected override async Task OnStartingAsync()
    {
        try
        {
            var client = await DockerCli.LocateAsync([], (this as IMultiArchPipeline)?.DockerClient, Cancellation);
            _docker = client.For(DockerEndpoint.Resolve(Environment)).MaskingWith(Log.Masker);
        }
        catch (Exception e) when (e is not OperationCanceledException) { _dockerProblem = ExceptionDispatchInfo.Capture(e); }
    }
}
