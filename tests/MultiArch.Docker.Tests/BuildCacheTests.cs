using MultiArch.Oci;

namespace MultiArch.Docker.Tests;

// The exact --cache-from/--cache-to values: buildx parses them as CSV attributes, so every character counts.
[Trait("Category", "Unit")]
public sealed class BuildCacheTests
{
    [Theory]
    [InlineData("server", "linux/arm/v7", false, "type=gha,scope=server-arm-v7", "type=gha,scope=server-arm-v7,mode=max,ignore-error=true")]
    [InlineData("server", "linux/amd64", true, "type=gha,scope=server-base-amd64",
        "type=gha,scope=server-base-amd64,mode=max,ignore-error=true")]
    // A comma would end the attribute and an '=' start another: anything outside [A-Za-z0-9._-] becomes '-'.
    [InlineData("my app,v=2", "linux/arm64", false, "type=gha,scope=my-app-v-2-arm64",
        "type=gha,scope=my-app-v-2-arm64,mode=max,ignore-error=true")]
    public void GitHub_Actions_cache_has_one_scope_per_image_stage_and_platform(string image, string platform, bool baseStage,
        string from, string to)
    {
        var cache = BuildCache.GitHubActions(image, Platform.Parse(platform), baseStage);

        cache.Type.Should().Be("gha");
        cache.ToBuildxValue(export: false).Should().Be(from);
        cache.ToBuildxValue(export: true).Should().Be(to);
        cache.ToString().Should().Be(from);
    }

    [Theory]
    [InlineData("ghcr.io/acme/server", "linux/arm/v7", false, "ghcr.io/acme/server:buildcache-arm-v7")]
    [InlineData("127.0.0.1:5000/acme/server:1.4.0-amd64", "linux/amd64", false, "127.0.0.1:5000/acme/server:buildcache-amd64")]
    [InlineData("ghcr.io/acme/server", "linux/arm64", true, "ghcr.io/acme/server:buildcache-base-arm64")]
    public void Registry_cache_lives_at_the_repositorys_buildcache_tag_of_the_platform(string repository, string platform,
        bool baseStage, string reference)
    {
        var cache = BuildCache.Registry(ImageReference.Parse(repository), Platform.Parse(platform), baseStage);

        cache.Type.Should().Be("registry");
        cache.Value.Should().Be(reference);
        cache.ToBuildxValue(export: false).Should().Be($"type=registry,ref={reference}");
        cache.ToBuildxValue(export: true).Should().Be($"type=registry,ref={reference},mode=max,ignore-error=true");
    }

    [Fact]
    public void Legs_and_stages_never_share_a_cache()
    {
        var repository = ImageReference.Parse("ghcr.io/acme/server");
        Platform[] platforms = [Platform.LinuxAmd64, Platform.LinuxArm64, Platform.LinuxArmV7];

        var gha = platforms.SelectMany(p =>
            new[] { BuildCache.GitHubActions("server", p), BuildCache.GitHubActions("server", p, baseStage: true),
            BuildCache.GitHubActions("client", p) });
        var registry = platforms.SelectMany(p =>
            new[] { BuildCache.Registry(repository, p), BuildCache.Registry(repository, p, baseStage: true) });

        gha.Select(c => c.Value).Should().OnlyHaveUniqueItems().And.HaveCount(9);
        registry.Select(c => c.Value).Should().OnlyHaveUniqueItems().And.HaveCount(6);
    }

    [Fact]
    public void GitHub_Actions_scope_needs_an_image_name()
    {
        var act = () => BuildCache.GitHubActions(" ", Platform.LinuxAmd64);

        act.Should().Throw<ArgumentException>().WithMessage("*needs the image's name*");
    }
}
