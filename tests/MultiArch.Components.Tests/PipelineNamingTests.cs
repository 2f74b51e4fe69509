using MultiArch.Oci;

namespace MultiArch.Components.Tests;

// Where an image is published and under which names, with no registry, Docker or git: PipelineNaming is what every
// target and the merge's stale-record check ask.
[Trait("Category", "Unit")]
public sealed class PipelineNamingTests
{
    static readonly ImageDefinition Bare = new("acme/app");
    static readonly ImageDefinition OnGhcr = new("ghcr.io/acme/app");
    static readonly ImageDefinition Worker = new("ghcr.io/acme/worker");

    static PipelineNaming Naming(string version = "1.2.3", string? registry = null, (string, string)? moved = null) =>
        new(ImageVersion.Parse(version), registry is null ? null : RegistryHost.Parse(registry), moved);

    [Fact]
    public void A_repository_without_a_host_goes_to_the_local_registry() =>
        Naming().RepositoryOf(Bare).Name.Should().Be("127.0.0.1:5000/acme/app");

    [Fact]
    public void A_repository_with_a_host_keeps_it() =>
        Naming().RepositoryOf(OnGhcr).Name.Should().Be("ghcr.io/acme/app");

    [Fact]
    public void Registry_replaces_the_declared_host_and_keeps_the_path()
    {
        Naming(registry: "registry.example.com:5443").RepositoryOf(OnGhcr).Name.Should().Be("registry.example.com:5443/acme/app");
        Naming(registry: "registry.example.com:5443").RegistryHost(Bare).Should().Be("registry.example.com:5443");
    }

    [Fact]
    public void Repository_moves_only_the_image_it_names()
    {
        var naming = Naming(moved: ("app", "me/fork"));
        naming.RepositoryOf(OnGhcr).Name.Should().Be("ghcr.io/me/fork");
        naming.RepositoryOf(Worker).Name.Should().Be("ghcr.io/acme/worker");
    }

    [Fact]
    public void The_repository_carries_no_tag_or_digest()
    {
        var repository = Naming().RepositoryOf(OnGhcr);
        repository.Tag.Should().BeNull();
        repository.Digest.Should().BeNull();
    }

    [Theory]
    [InlineData("1.2.3", "linux/amd64", "1.2.3-amd64")]
    [InlineData("1.2.3", "linux/arm64", "1.2.3-arm64")]
    [InlineData("1.2.3", "linux/arm/v7", "1.2.3-arm-v7")]
    [InlineData("v2.0.0-rc.1", "linux/arm64", "2.0.0-rc.1-arm64")]
    [InlineData("dev", "linux/amd64", "dev-amd64")]
    public void The_per_arch_tag_is_the_version_and_the_platform_pair(string version, string platform, string tag) =>
        Naming(version).ArchTag(Platform.Parse(platform)).Should().Be(tag);

    [Fact]
    public void The_per_arch_reference_is_the_repository_with_the_per_arch_tag() =>
        Naming(registry: "ghcr.io").ArchReference(Bare, Platform.LinuxArm64).ToString().Should().Be("ghcr.io/acme/app:1.2.3-arm64");

    [Fact]
    public void The_partial_tag_names_the_platforms_it_holds_and_is_no_release_tag()
    {
        var tag = Naming().PartialTag([Platform.LinuxAmd64, Platform.LinuxArmV7]);
        tag.Should().Be("1.2.3-partial-amd64_arm-v7");
        TagRules.For(ImageVersion.Parse("1.2.3"), null, []).Should().NotContain(tag);
    }

    [Fact]
    public void The_base_tag_is_local_and_unique_per_platform_revision_and_run()
    {
        var naming = Naming();
        var tag = naming.BaseTag(OnGhcr, Platform.LinuxArm64, "0123456789abcdef", "42");
        tag.Should().Be("ghcr.io/acme/app-base:1.2.3-arm64-0123456-42");
        naming.BaseTag(OnGhcr, Platform.LinuxAmd64, "0123456789abcdef", "42").Should().NotBe(tag);
        naming.BaseTag(OnGhcr, Platform.LinuxArm64, "fedcba9876543210", "42").Should().NotBe(tag);
        naming.BaseTag(OnGhcr, Platform.LinuxArm64, "0123456789abcdef", "43").Should().NotBe(tag);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    public void A_base_tag_without_a_usable_revision_says_norev(string? revision) =>
        Naming().BaseTag(Bare, Platform.LinuxAmd64, revision, "7").Should().EndWith(":1.2.3-amd64-norev-7");

    [Fact]
    public void A_long_version_gives_a_valid_base_tag_kept_unique_by_a_hash()
    {
        var version = "1.0.0-" + new string('a', ImageVersion.MaxLength - 6);
        var one = Naming(version).BaseTag(Bare, Platform.LinuxAmd64, "0123456789", "1");
        var two = Naming(version).BaseTag(Bare, Platform.LinuxAmd64, "0123456789", "2");
        var tag = one[(one.LastIndexOf(':') + 1)..];
        tag.Length.Should().BeLessThanOrEqualTo(128);
        FluentActions.Invoking(() => ImageReference.Parse(one)).Should().NotThrow();
        one.Should().NotBe(two);
    }

    [Fact]
    public void A_record_of_another_version_is_stale()
    {
        var repository = ImageReference.Parse("ghcr.io/acme/app");
        var current = new DigestRecord(repository, Digest.Compute([1]), Platform.LinuxAmd64, "1.2.3-amd64");
        var old = new DigestRecord(repository, Digest.Compute([2]), Platform.LinuxArm64, "1.2.2-arm64");
        Naming().StaleRecord([current, old]).Should().Be(old);
        Naming().StaleRecord([current]).Should().BeNull();
    }

    [Fact]
    public void Records_without_a_tag_or_platform_are_never_stale()
    {
        var recipe = new DigestRecord(null, Digest.Compute([1]), null);
        var untagged = new DigestRecord(ImageReference.Parse("ghcr.io/acme/app"), Digest.Compute([2]), Platform.LinuxAmd64);
        Naming().StaleRecord([recipe, untagged]).Should().BeNull();
    }

    [Theory]
    [InlineData("ghcr.io", true)]
    [InlineData("GHCR.IO", true)]
    [InlineData("ghcr.io.example.com", false)]
    [InlineData("127.0.0.1:5000", false)]
    [InlineData("docker.io", false)]
    public void Only_ghcr_io_is_github_s_registry(string host, bool ghcr) => PipelineNaming.IsGhcr(host).Should().Be(ghcr);

    [Fact]
    public void Publishing_to_ghcr_follows_the_registry_the_image_goes_to()
    {
        Naming().PublishesToGhcr(OnGhcr).Should().BeTrue();
        Naming().PublishesToGhcr(Bare).Should().BeFalse();
        Naming(registry: "127.0.0.1:5000").PublishesToGhcr(OnGhcr).Should().BeFalse();
        Naming(registry: "ghcr.io").PublishesToGhcr(Bare).Should().BeTrue();
    }

    [Theory]
    [InlineData("ghcr.io/acme/app", "ghcr.io", "acme/app")]
    [InlineData("localhost/app", "localhost", "app")]
    [InlineData("127.0.0.1:5000/acme/app", "127.0.0.1:5000", "acme/app")]
    [InlineData("acme/app", null, "acme/app")]
    [InlineData("app", null, "app")]
    public void A_first_segment_with_a_dot_a_port_or_localhost_is_the_host(string repository, string? host, string path)
    {
        PipelineNaming.HostOf(repository).Should().Be(host);
        PipelineNaming.PathOf(repository).Should().Be(path);
    }

    [Fact]
    public void A_question_about_the_registry_never_computes_the_version()
    {
        var naming = new PipelineNaming(() => throw new InvalidOperationException("the version was computed"), null, () => null);
        naming.RegistryHost(OnGhcr).Should().Be("ghcr.io");
        naming.PublishesToGhcr(OnGhcr).Should().BeTrue();
    }

    [Fact]
    public void The_moved_image_is_decided_on_first_use_and_once()
    {
        var asked = 0;
        var naming = new PipelineNaming(() => ImageVersion.Parse("1.0.0"), null, () => { asked++; return ("app", "me/fork"); });
        asked.Should().Be(0);
        naming.RepositoryOf(OnGhcr).Name.Should().Be("ghcr.io/me/fork");
        naming.ArchReference(OnGhcr, Platform.LinuxAmd64).ToString().Should().Be("ghcr.io/me/fork:1.0.0-amd64");
        asked.Should().Be(1);
    }

    [Fact]
    public void The_per_arch_tag_of_every_declared_platform_is_distinct()
    {
        var platforms = new[]
        {
            Platform.LinuxAmd64, Platform.LinuxArm64, Platform.LinuxArmV7, Platform.Parse("linux/arm/v6"), Platform.Parse("linux/386"),
        };
        platforms.Select(Naming().ArchTag).Should().OnlyHaveUniqueItems();
    }
}
