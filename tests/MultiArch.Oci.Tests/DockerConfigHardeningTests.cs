using MultiArch.Testing;
using System.Diagnostics;

namespace MultiArch.Oci.Tests;

/// <summary>A credential helper that hangs, and an inline auth that is not base64 (issue 13).</summary>
[Trait("Category", "Unit")]
public sealed class DockerConfigHardeningTests
{
    [Fact]
    public async Task A_credential_helper_that_never_answers_is_stopped_with_one_line()
    {
        using var dir = new TempDirectory();
        var helper = dir.File("bin/docker-credential-multiarchhang", "#!/bin/sh\nexec sleep 600\n");
        File.SetUnixFileMode(helper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var config = dir.File("config.json", """{"credHelpers":{"127.0.0.1:5000":"multiarchhang"}}""");
        var path = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", Path.GetDirectoryName(helper) + ":" + path);
        try
        {
            var stopwatch = Stopwatch.StartNew();
            var find = Task.Run(() => DockerConfigCredentials.Find("127.0.0.1:5000", config, TimeSpan.FromSeconds(2)));
            (await Task.WhenAny(find, Task.Delay(TimeSpan.FromSeconds(30)))).Should().Be(find, "a hanging helper must not block for ever");

            stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
            find.Exception!.InnerException.Should().BeOfType<OciInputException>().Which.Message.Should()
                .Contain("docker-credential-multiarchhang").And.Contain("did not answer within 2 s").And.NotContain("\n");
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
        }
    }

    [Fact]
    public void An_inline_auth_that_is_not_base64_names_the_file_and_the_entry()
    {
        using var dir = new TempDirectory();
        var config = dir.File("config.json", """{"auths":{"ghcr.io":{"auth":"not base64!"}}}""");

        FluentActions.Invoking(() => DockerConfigCredentials.Find("ghcr.io", config)).Should().Throw<OciInputException>()
            .Which.Message.Should().Contain(config).And.Contain("ghcr.io").And.Contain("docker login").And.NotContain("Base-64");
    }
}
