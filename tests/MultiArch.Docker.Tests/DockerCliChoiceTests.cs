using MultiArch.Testing;
namespace MultiArch.Docker.Tests;

// --docker-cli: the client a user names is used as it is, checked once to build with BuildKit. The stand-ins are
// scripts that answer `buildx version` and `--version` as a client of that kind does; the real /usr/bin/docker is
// checked too.
[Trait("Category", "Unit")]
public sealed class DockerCliChoiceTests : IDisposable
{
    readonly TempDirectory _dir = new("multiarch-docker-cli-");

    public void Dispose() => _dir.Dispose();

    string Client(string name, string version, string? buildx)
    {
        var path = Path.Combine(_dir.Path, name);
        var buildxAnswer = buildx is null ? "echo 'docker: unknown command: docker buildx' >&2; exit 1" : $"echo '{buildx}'; exit 0";
        File.WriteAllText(path, $"""
            #!/bin/sh
            if [ "$1" = buildx ] && [ "$2" = version ]; then {buildxAnswer}; fi
            if [ "$1" = --version ]; then echo 'Docker version {version}, build 0123abc'; exit 0; fi
            exit 2
            """.Replace("\r", ""));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Fact]
    public async Task A_named_client_with_buildx_is_used_with_buildx()
    {
        var path = Client("docker-27", "27.3.1", "github.com/docker/buildx v0.17.1 d3a53189");
        var cli = await DockerCli.LocateAsync([], path, CancellationToken.None);
        cli.Path.Should().Be(path);
        cli.BuildxVersion.Should().Be("github.com/docker/buildx v0.17.1 d3a53189");
    }

    [Fact]
    public async Task A_named_20_10_client_without_buildx_builds_with_its_own_BuildKit()
    {
        var path = Client("docker-20", "20.10.24+dfsg1", buildx: null);
        var cli = await DockerCli.LocateAsync([], path, CancellationToken.None);
        cli.Path.Should().Be(path);
        cli.HasBuildx.Should().BeFalse();
    }

    [Fact]
    public async Task A_named_newer_client_without_buildx_is_refused_with_the_fix()
    {
        var path = Client("docker-27-bare", "27.3.1", buildx: null);
        var act = () => DockerCli.LocateAsync([], path, CancellationToken.None);
        (await act.Should().ThrowAsync<DockerEngineUnavailableException>()).Which.Message.Should()
            .Be($"--docker-cli {path}: docker 27.3 has no buildx, and a client from 23.0 on has no BuildKit without it. " +
                "Install the buildx plugin for it, or pass a 20.10 client (--docker-cli /usr/bin/docker on Debian).");
    }

    [Fact]
    public async Task A_named_client_that_does_not_exist_is_refused_with_the_fix()
    {
        var path = Path.Combine(_dir.Path, "nope");
        var act = () => DockerCli.LocateAsync([], path, CancellationToken.None);
        (await act.Should().ThrowAsync<DockerEngineUnavailableException>()).Which.Message.Should()
            .Be($"--docker-cli {path}: no such file. Give the path of a docker client, e.g. --docker-cli /usr/bin/docker.");
    }

    [Fact]
    public async Task The_probe_reports_a_named_clients_problem_instead_of_no_client()
    {
        var path = Client("docker-27-bare", "27.3.1", buildx: null);
        var probe = new DockerEngineProbe(DockerEndpoint.Resolve(new Dictionary<string, string>())) { Client = path };
        var act = () => probe.ProbeAsync(CancellationToken.None);
        (await act.Should().ThrowAsync<DockerEngineUnavailableException>()).Which.Message.Should().StartWith("--docker-cli " +
            $"{path}: docker 27.3 has no buildx");
    }
}
