namespace MultiArch.Oci.Tests;

[Trait("Category", "Unit")]
public sealed class ImageVersionTests
{
    [Theory]
    [InlineData("v1.4.0", "1.4.0")]
    [InlineData("1.4.0", "1.4.0")]
    [InlineData("V1.4.0", "1.4.0")]
    [InlineData(" 1.4.0 ", "1.4.0")]
    [InlineData("v1.5.0-rc.1+build.7", "1.5.0-rc.1-build.7")]
    [InlineData("nightly", "nightly")]
    public void Every_spelling_of_a_version_normalises_to_one_text(string given, string text) =>
        ImageVersion.Parse(given).Text.Should().Be(text);

    [Fact]
    public void A_v_prefixed_version_gives_the_same_tags_as_the_plain_one() =>
        TagRules.For("v1.4.0").Should().Equal(TagRules.For("1.4.0")).And.Equal("1.4.0", "1.4", "1", "latest");

    [Theory]
    [InlineData("1.5.0-rc.1")]
    [InlineData("1.5.0-0")]
    [InlineData("dev")]
    public void Pre_releases_and_plain_tags_get_no_floating_tags(string version) =>
        TagRules.Floating(ImageVersion.Parse(version)).Should().BeEmpty();

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_version_names_the_version_not_an_internal_tag(string version) =>
        FluentActions.Invoking(() => ImageVersion.Parse(version)).Should().Throw<OciInputException>()
            .WithMessage("Version is empty: pass a version such as 1.2.3, or leave it out for the default (the exact git tag, else dev).");

    [Fact]
    public void A_version_too_long_for_its_per_arch_tags_says_the_limit_and_why()
    {
        var version = new string('a', 124);
        FluentActions.Invoking(() => ImageVersion.Parse(version)).Should().Throw<OciInputException>()
            .WithMessage("Version 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' is 124 characters: use at most 119, " +
                "so that per-arch tags such as <version>-arm-v7 stay within the 128 a tag may hold.");
        ImageVersion.Parse(new string('a', 119)).Text.Should().HaveLength(119);
    }

    [Fact]
    public void Versions_order_by_semver_precedence()
    {
        string[] ascending = ["dev", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta.2", "1.0.0-beta.11",
            "1.0.0-rc.1", "1.0.0", "1.2.0", "1.10.0", "2.0.0"];
        var parsed = ascending.Select(ImageVersion.Parse).ToList();
        parsed.OrderBy(v => v).Select(v => v.Text).Should().Equal(ascending);
        ImageVersion.Parse("v1.4.0").CompareTo(ImageVersion.Parse("1.4.0")).Should().Be(0);
    }

    [Fact]
    public void Floating_tags_are_held_back_where_a_newer_release_is_published()
    {
        string[] published = ["1.6.0", "1.6", "1", "latest", "1.4.0", "1.4", "2.0.0-rc.1", "dev", "sha-abcdef1", "1.6.0-amd64"];

        TagRules.HeldBack(ImageVersion.Parse("1.4.1"), published).Select(h => (h.Tag, h.Newer.Text))
            .Should().Equal(("1", "1.6.0"), ("latest", "1.6.0"));
        TagRules.HeldBack(ImageVersion.Parse("1.7.0"), published).Should().BeEmpty("1.7.0 is the newest release");
        TagRules.HeldBack(ImageVersion.Parse("1.6.0"), published).Should().BeEmpty("a re-run of the newest moves nothing backwards");
        TagRules.HeldBack(ImageVersion.Parse("0.9.0"), published).Select(h => h.Tag).Should().Equal("latest");
    }
}
