namespace MultiArch.Oci.Tests;

[Trait("Category", "Unit")]
public sealed class PlainHttpTests
{
    [Theory]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("127.5.6.7", true)]
    [InlineData("localhost:5000", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("ghcr.io", false)]
    [InlineData("10.0.0.5:5000", false)]
    [InlineData("registry.internal:5000", false)]
    public void Plain_http_is_used_only_for_loopback_hosts(string host, bool plain)
    {
        RegistryClient.AllowsPlainHttp(host, []).Should().Be(plain);
        using var client = new RegistryClient(host);
        client.BaseAddress.Scheme.Should().Be(plain ? "http" : "https");
    }

    [Fact]
    public void Hosts_listed_as_insecure_use_plain_http()
    {
        using var client = new RegistryClient("registry.internal:5000",
            new RegistryClientOptions { InsecureRegistries = ["registry.internal:5000"] });
        client.BaseAddress.ToString().Should().Be("http://registry.internal:5000/");
    }

    [Fact]
    public void Docker_hub_is_reached_over_https_on_registry_1()
    {
        using var client = new RegistryClient("docker.io");
        client.BaseAddress.ToString().Should().Be("https://registry-1.docker.io/");
    }
}
