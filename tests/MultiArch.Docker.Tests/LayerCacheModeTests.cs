using MultiArch.Oci;

namespace MultiArch.Docker.Tests;

[Trait("Category", "Unit")]
public sealed class LayerCacheModeTests
{
    static readonly ImageReference Repository = ImageReference.Parse("ghcr.io/acme/server");

    [Theory]
    [InlineData("none", "none")]
    [InlineData("GHA", "gha")]
    [InlineData(" registry ", "registry")]
    public void Parses_the_three_modes_in_any_case(string text, string name) =>
        LayerCacheMode.Parse(text).Name.Should().Be(name);

    [Fact]
    public void Any_other_value_is_one_line_naming_the_values_to_use()
    {
        var act = () => LayerCacheMode.Parse("s3");

        act.Should().Throw<DockerInputException>()
            .Which.Message.Should().Be("'s3' is not a layer cache; use none, gha (the GitHub Actions cache, in workflows) " +
                "or registry (<repo>:buildcache-<platform> in the target registry).");
    }

    [Fact]
    public void Each_mode_names_the_cache_of_a_stage_on_a_platform()
    {
        LayerCacheMode.None.For(Repository, "server", Platform.LinuxArm64, baseStage: false).Should().BeNull();
        LayerCacheMode.GitHubActions.For(Repository, "server", Platform.LinuxArm64, baseStage: false)!.ToBuildxValue(export: true)
            .Should().Be("type=gha,scope=server-arm64,mode=max,ignore-error=true");
        LayerCacheMode.Registry.For(Repository, "server", Platform.LinuxArm64, baseStage: true)!.ToBuildxValue(export: false)
            .Should().Be("type=registry,ref=ghcr.io/acme/server:buildcache-base-arm64");
    }
}
