namespace MultiArch.Docker;

public sealed partial class DockerCli
{
    /// <summary>
    /// This client aimed at <paramref name="endpoint"/>: every child gets it as <c>DOCKER_HOST</c>, which the docker CLI
    /// puts before <c>DOCKER_CONTEXT</c> and the config's <c>currentContext</c>, so the commands reach the engine the
    /// probe saw even when a child's docker config differs.
    /// </summary>
    public DockerCli For(DockerEndpoint endpoint) =>
        new(Path, BuildxVersion) { DockerHost = endpoint.Host, Masker = Masker, Withheld = Withheld };
}
