namespace MultiArch.Oci.Tests;

[Trait("Category", "Unit")]
public sealed class ImageReferenceTests
{
    private const string Sha = "sha256:4f1c7b2f0c5e8d3a9b6c1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b";

    [Theory]
    [InlineData("busybox", "docker.io", "library/busybox", null)]
    [InlineData("busybox:1.35", "docker.io", "library/busybox", "1.35")]
    [InlineData("acme/app", "docker.io", "acme/app", null)]
    [InlineData("index.docker.io/busybox", "docker.io", "library/busybox", null)]
    [InlineData("ghcr.io/owner/app/dev:1.2.3", "ghcr.io", "owner/app/dev", "1.2.3")]
    [InlineData("127.0.0.1:5000/demo/app:1.2.3-arm-v7", "127.0.0.1:5000", "demo/app", "1.2.3-arm-v7")]
    [InlineData("localhost/app", "localhost", "app", null)]
    [InlineData("localhost:5000/a__b/c-d/e.f", "localhost:5000", "a__b/c-d/e.f", null)]
    [InlineData("[::1]:5000/app:v1", "[::1]:5000", "app", "v1")]
    public void References_split_into_registry_repository_and_tag(string input, string registry, string repository, string? tag)
    {
        var reference = ImageReference.Parse(input);
        reference.Registry.Should().Be(registry);
        reference.Repository.Should().Be(repository);
        reference.Tag.Should().Be(tag);
    }

    [Fact]
    public void Digest_references_keep_tag_and_digest_and_round_trip()
    {
        var reference = ImageReference.Parse($"ghcr.io/acme/app:1.0@{Sha}");
        reference.Digest!.ToString().Should().Be(Sha);
        reference.ToString().Should().Be($"ghcr.io/acme/app:1.0@{Sha}");
        ImageReference.Parse(reference.ToString()).Should().Be(reference);
    }

    [Fact]
    public void Docker_hub_is_reached_through_registry_1()
    {
        ImageReference.Parse("busybox").ApiHost.Should().Be("registry-1.docker.io");
        ImageReference.Parse("ghcr.io/a/b").ApiHost.Should().Be("ghcr.io");
    }

    [Fact]
    public void With_tag_and_with_digest_build_new_references()
    {
        var reference = ImageReference.Parse("127.0.0.1:5000/demo/app");
        reference.WithTag("1.2.3").ToString().Should().Be("127.0.0.1:5000/demo/app:1.2.3");
        reference.WithTag("1.2.3").WithDigest(Digest.Parse(Sha)).ToString().Should().Be($"127.0.0.1:5000/demo/app:1.2.3@{Sha}");
    }

    [Theory]
    [InlineData("ghcr.io/Acme/App", "must be lower case")]
    [InlineData("ghcr.io/acme/my app", "white space")]
    [InlineData("ghcr.io/acme/a..b", "path component 'a..b'")]
    [InlineData("", "it is empty")]
    [InlineData("ghcr.io/acme//app", "empty path component")]
    [InlineData("ghcr.io/acme/app:", "Tag in")]
    [InlineData("ghcr.io/acme/app:-bad", "is not valid")]
    [InlineData("ghcr.io/acme/app@sha256:abc", "64 lower-case hex")]
    [InlineData("ghcr.io/", "repository is empty")]
    [InlineData("-bad.io:5000/app", "not a registry host")]
    public void Bad_references_name_the_input_and_the_fix(string input, string fix)
    {
        var act = () => ImageReference.Parse(input);
        var error = act.Should().Throw<OciInputException>().Which;
        error.Message.Should().Contain(fix).And.NotContain("\n");
    }

    [Fact]
    public void Tags_longer_than_128_characters_are_rejected()
    {
        var act = () => ImageReference.Parse("ghcr.io/acme/app:" + new string('a', 129));
        act.Should().Throw<OciInputException>().WithMessage("*129 characters*at most 128*");
    }
}
