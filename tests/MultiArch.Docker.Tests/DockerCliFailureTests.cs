using MultiArch.Testing;

namespace MultiArch.Docker.Tests;

/// <summary>
/// A failed docker command is reported by docker's error line (on stderr), not by whichever line came last:
/// <c>docker image inspect</c> of a missing image prints <c>[]</c> on stdout and the cause on stderr.
/// </summary>
[Trait("Category", "Docker")]
public sealed class DockerCliFailureTests
{
    [SkippableFact]
    public async Task A_failure_names_dockers_error_line_not_the_last_line_of_output()
    {
        ServiceRequirement.Require(Service.Docker);
        var cli = await DockerCli.LocateAsync();
        var missing = "multiarch-missing-" + Guid.NewGuid().ToString("N")[..8];
        var lines = new List<string>();

        // Several runs: stdout and stderr arrive in either order, and each run must name the error line.
        for (var run = 0; run < 5; run++)
        {
            var failure = await cli.Invoking(c => c.ExecuteAsync("docker image inspect", ["image", "inspect", missing], lines.Add))
                .Should().ThrowAsync<DockerCommandException>();
            failure.Which.Message.Should().Be($"docker image inspect failed (exit code 1): Error: No such image: {missing}");
        }
        lines.Should().Contain("[]", "stdout's line was there, and is not the cause");
    }

    [SkippableFact]
    public async Task A_tool_that_prints_progress_after_its_error_is_reported_by_the_error()
    {
        ServiceRequirement.Require(Service.Docker | Service.Registry);
        var cli = await DockerCli.LocateAsync();

        // As docker push does ("abc123: Preparing" after "unauthorized"): the cause on stderr, a progress line after it on stdout.
        var failure = await cli.Invoking(c => c.RunAsync("127.0.0.1:5000/multiarch/busybox:1.35-amd64", Oci.Platform.LinuxAmd64,
                ["sh", "-c", "echo 'denied: the real cause' >&2; sleep 0.3; echo '27e6228aa1cd: Preparing'; exit 3"]))
            .Should().ThrowAsync<DockerCommandException>();

        failure.Which.Message.Should().EndWith("failed (exit code 3): denied: the real cause");
        failure.Which.OutputTail.Should().Contain("27e6228aa1cd: Preparing");
    }
}
