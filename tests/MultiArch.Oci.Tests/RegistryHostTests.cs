namespace MultiArch.Oci.Tests;

/// <summary>
/// <c>--registry</c> is a host, parsed once: Docker's rule (a dot, a port, or localhost) decides, so a name such as
/// <c>ghcr</c> is refused instead of becoming the Docker Hub namespace <c>docker.io/ghcr/...</c>.
/// </summary>
[Trait("Category", "Unit")]
public sealed class RegistryHostTests
{
    [Theory]
    [InlineData("ghcr.io")]
    [InlineData("127.0.0.1:5000")]
    [InlineData("localhost")]
    [InlineData("localhost:5000")]
    [InlineData("[::1]:5000")]
    [InlineData("registry.example.com:443")]
    [InlineData("docker.io")]
    public void Hosts_with_a_dot_a_port_or_localhost_are_accepted(string text)
    {
        RegistryHost.Parse(text).ToString().Should().Be(text);
    }

    [Theory]
    [InlineData("ghcr", "did you mean ghcr.io?")]
    [InlineData("null", "a dot or a port, or is localhost")]
    [InlineData("myregistry", "Docker Hub namespace")]
    [InlineData("quay", "did you mean quay.io?")]
    [InlineData("http://127.0.0.1:5000", "drop the scheme")]
    [InlineData("ghcr.io/acme", "has a path")]
    [InlineData("local host:5000", "white space")]
    [InlineData("", "empty")]
    [InlineData("ghcr.io:99999", "port")]
    [InlineData("-bad.example", "not a host name")]
    public void Anything_else_is_refused_with_one_line_naming_the_input(string text, string fix)
    {
        var refusal = FluentActions.Invoking(() => RegistryHost.Parse(text)).Should().Throw<OciInputException>().Which.Message;

        refusal.Should().Contain($"'{text}'").And.Contain(fix).And.NotContain("\n");
    }

    [Fact]
    public void A_reference_built_from_a_registry_that_is_not_a_host_is_refused_not_sent_to_docker_hub()
    {
        FluentActions.Invoking(() => ImageReference.Create("ghcr", "acme/app")).Should().Throw<OciInputException>()
            .WithMessage("*'ghcr'*did you mean ghcr.io?*");
        ImageReference.Create("ghcr.io", "acme/app").Registry.Should().Be("ghcr.io");
    }
}
