namespace MultiArch.Processes.Tests;

[Trait("Category", "Unit")]
public sealed class SecretMaskerTests
{
    [Fact]
    public void Every_occurrence_is_masked_and_a_secret_containing_another_is_masked_whole()
    {
        var masker = new SecretMasker(["abc", "abcdef-long"]);

        masker.Mask("abcdef-long then abc then abc").Should().Be("*** then *** then ***");
    }

    [Fact]
    public void A_multi_line_value_is_also_masked_line_by_line()
    {
        var masker = new SecretMasker();

        var added = masker.Add("-----BEGIN KEY-----\r\n  line-two-of-key  \nend");

        added.Should().Equal("-----BEGIN KEY-----\r\n  line-two-of-key  \nend", "-----BEGIN KEY-----", "line-two-of-key", "end");
        masker.Mask("a child printed line-two-of-key alone").Should().Be("a child printed *** alone");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("ab")]
    public void Empty_and_very_short_values_are_not_registered(string? value)
    {
        var masker = new SecretMasker();

        masker.Add(value).Should().BeEmpty();
        masker.Mask("ab cd").Should().Be("ab cd");
    }

    [Fact]
    public void Add_returns_only_the_parts_it_had_not_seen()
    {
        var masker = new SecretMasker(["s3cret"]);

        masker.Add("s3cret").Should().BeEmpty();
        masker.Add("other-value").Should().Equal("other-value");
    }

    [Theory]
    [InlineData("PUBLISH_TOKEN", true)]
    [InlineData("registry_password", true)]
    [InlineData("MY_SECRET", true)]
    [InlineData("IMAGE_TAG", false)]
    public void A_value_is_masked_by_name_only_when_the_name_says_secret(string name, bool masked)
    {
        var masker = new SecretMasker();

        masker.AddIfNamedSecret(name, "value-1234");

        masker.Mask("got value-1234").Should().Be(masked ? "got ***" : "got value-1234");
    }
}
