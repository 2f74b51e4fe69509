namespace MultiArch.Oci.Tests;

[Trait("Category", "Unit")]
public sealed class TagRulesTests
{
    [Fact]
    public void A_release_gets_version_minor_major_and_latest()
    {
        TagRules.For("1.2.3").Should().Equal("1.2.3", "1.2", "1", "latest");
        TagRules.For("v1.2.3").Should().Equal("1.2.3", "1.2", "1", "latest");
    }

    [Fact]
    public void A_prerelease_gets_only_its_version()
    {
        TagRules.For("1.2.3-rc.1").Should().Equal("1.2.3-rc.1");
        TagRules.IsPrerelease("1.2.3-rc.1").Should().BeTrue();
    }

    [Fact]
    public void A_revision_adds_a_short_sha_tag_and_extras_come_last()
    {
        TagRules.For("1.2.3", "0123456789ABCDEF0123456789abcdef01234567", ["edge", "1.2"])
            .Should().Equal("1.2.3", "1.2", "1", "latest", "sha-0123456", "edge");
    }

    [Fact]
    public void A_non_semver_version_is_used_as_a_raw_tag_without_latest()
    {
        TagRules.For("nightly").Should().Equal("nightly");
    }

    [Fact]
    public void Build_metadata_becomes_a_dash_because_tags_cannot_hold_plus()
    {
        TagRules.For("1.2.3+build.7").Should().Equal("1.2.3-build.7", "1.2", "1", "latest");
    }

    [Theory]
    [InlineData("", "Version is empty")]
    [InlineData("1.2.3/4", "Version '1.2.3/4' is neither semver")]
    [InlineData(".hidden", "not starting with '.'")]
    public void Bad_versions_are_rejected(string version, string message)
    {
        var act = () => TagRules.For(version);
        act.Should().Throw<OciInputException>().Which.Message.Should().Contain(message);
    }

    [Fact]
    public void Bad_extra_tags_and_revisions_are_rejected()
    {
        ((Action)(() => TagRules.For("1.0.0", extraTags: [new string('x', 129)]))).Should().Throw<OciInputException>()
            .WithMessage("Extra tag*at most 128 characters*");
        ((Action)(() => TagRules.For("1.0.0", extraTags: ["a b"]))).Should().Throw<OciInputException>().WithMessage("Extra tag 'a b'*");
        ((Action)(() => TagRules.For("1.0.0", revision: "xyz"))).Should().Throw<OciInputException>().WithMessage("Revision 'xyz'*");
    }
}
