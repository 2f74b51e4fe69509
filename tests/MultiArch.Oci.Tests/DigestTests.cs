using System.Text;

namespace MultiArch.Oci.Tests;

[Trait("Category", "Unit")]
public sealed class DigestTests
{
    [Fact]
    public void Compute_hashes_the_exact_bytes()
    {
        var digest = Digest.Compute(Encoding.UTF8.GetBytes("hello"));
        digest.ToString().Should().Be("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        digest.Algorithm.Should().Be("sha256");
        digest.Matches(Encoding.UTF8.GetBytes("hello")).Should().BeTrue();
        digest.Matches(Encoding.UTF8.GetBytes("hello ")).Should().BeFalse();
    }

    [Fact]
    public void Parse_round_trips_and_compares_by_value()
    {
        var text = "sha256:" + new string('a', 64);
        Digest.Parse(text).Should().Be(Digest.Parse(text));
        Digest.Parse(text).Hex.Should().Be(new string('a', 64));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sha256:abc")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("SHA256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("sha256:../../../../etc/passwd")]
    public void Bad_digests_are_rejected_with_the_expected_form(string input)
    {
        var act = () => Digest.Parse(input);
        act.Should().Throw<OciInputException>().WithMessage($"'{input}' is not a digest; expected sha256:*");
    }
}
