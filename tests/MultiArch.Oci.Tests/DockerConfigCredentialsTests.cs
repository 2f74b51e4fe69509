using MultiArch.Testing;
using System.Text;

namespace MultiArch.Oci.Tests;

[Trait("Category", "Unit")]
public sealed class DockerConfigCredentialsTests
{
    [Fact]
    public void Inline_auths_are_decoded_for_the_matching_registry()
    {
        using var dir = new TempDirectory();
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("octo:s3cret-value"));
        var config = dir.File("config.json", "{\"auths\":{\"https://ghcr.io\":{\"auth\":\"" + auth
            + "\"},\"https://index.docker.io/v1/\":{\"auth\":\"" + auth + "\"}}}");

        DockerConfigCredentials.Find("ghcr.io", config).Should().Be(new RegistryCredentials("octo", "s3cret-value"));
        DockerConfigCredentials.Find("docker.io", config)!.Username.Should().Be("octo");
        DockerConfigCredentials.Find("quay.io", config).Should().BeNull();
    }

    [Fact]
    public void Cred_helpers_are_run_with_the_server_on_stdin()
    {
        using var dir = new TempDirectory();
        // A real helper implementing the docker-credential protocol, placed on PATH for this test.
        var helper = dir.File("bin/docker-credential-multiarchtest",
            "#!/bin/sh\nread server\n[ \"$server\" = \"127.0.0.1:5000\" ] || { echo 'credentials not found'; exit 1; " +
            "}\necho '{\"ServerURL\":\"127.0.0.1:5000\",\"Username\":\"helper-user\",\"Secret\":\"helper-secret\"}'\n");
        File.SetUnixFileMode(helper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var config = dir.File("config.json", """{"credHelpers":{"127.0.0.1:5000":"multiarchtest"},"credsStore":"multiarchtest"}""");
        var path = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", Path.GetDirectoryName(helper) + ":" + path);
        try
        {
            DockerConfigCredentials.Find("127.0.0.1:5000", config).Should().Be(new RegistryCredentials("helper-user", "helper-secret"));
            DockerConfigCredentials.Find("other:5000", config).Should().BeNull();
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
        }
    }

    [Fact]
    public void Explicit_credentials_win_and_never_print_the_secret()
    {
        var credentials = RegistryCredentials.Resolve("ghcr.io", "octo", "ghp_topsecret", "/nonexistent/config.json")!;
        credentials.Password.Should().Be("ghp_topsecret");
        credentials.ToString().Should().NotContain("ghp_topsecret");
        $"{credentials}".Should().Contain("octo");
    }

    [Fact]
    public void A_broken_config_file_is_named_with_its_line()
    {
        using var dir = new TempDirectory();
        var config = dir.File("config.json", "{\n\"auths\": {,}\n}");
        ((Action)(() => DockerConfigCredentials.Find("ghcr.io", config))).Should().Throw<OciInputException>()
            .WithMessage($"Docker config '{config}' is not valid JSON (line 2)*");
    }
}
