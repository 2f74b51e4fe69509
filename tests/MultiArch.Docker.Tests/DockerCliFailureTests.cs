using MultiArch.Docker;
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
}
