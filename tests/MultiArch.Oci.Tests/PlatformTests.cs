namespace MultiArch.Oci.Tests;

[Trait("Category", "Unit")]
public sealed class PlatformTests
{
    [Theory]
    [InlineData("linux/amd64", "linux/amd64", "amd64")]
    [InlineData("linux/x86_64", "linux/amd64", "amd64")]
    [InlineData("linux/aarch64", "linux/arm64", "arm64")]
    [InlineData("linux/arm64/v8", "linux/arm64", "arm64")]
    [InlineData("linux/armhf", "linux/arm/v7", "arm-v7")]
    [InlineData("linux/arm", "linux/arm/v7", "arm-v7")]
    [InlineData("linux/arm/v6", "linux/arm/v6", "arm-v6")]
    [InlineData("Linux/AMD64", "linux/amd64", "amd64")]
    [InlineData("windows/amd64", "windows/amd64", "windows-amd64")]
    public void Aliases_normalize_to_one_canonical_platform(string input, string canonical, string pair)
    {
        var platform = Platform.Parse(input);
        platform.ToString().Should().Be(canonical);
        platform.Pair.Should().Be(pair);
    }

    [Fact]
    public void Equivalent_spellings_are_equal()
    {
        Platform.Parse("linux/aarch64").Should().Be(Platform.LinuxArm64);
        Platform.Parse("linux/arm64/v8").Should().Be(Platform.Parse("linux/arm64"));
        Platform.Parse("linux/armhf").Should().Be(Platform.LinuxArmV7);
        Platform.Create("linux", "x86_64").Should().Be(Platform.LinuxAmd64);
    }

    [Theory]
    [InlineData("arm64", "write linux/arm64")]
    [InlineData("linux/arm64/v9", "arm64 takes no variant")]
    [InlineData("linux//amd64", "os/arch[/variant]")]
    [InlineData("", "write os/arch")]
    [InlineData("linux/sparc", "unknown architecture 'sparc'")]
    [InlineData("plan9/amd64", "unknown operating system 'plan9'")]
    [InlineData("linux/arm/v9", "arm variants are v5, v6, v7")]
    [InlineData("linux/amd64/v3/x", "os/arch[/variant]")]
    public void Bad_platform_strings_name_the_input_and_the_fix(string input, string fix)
    {
        var act = () => Platform.Parse(input);
        var error = act.Should().Throw<OciInputException>().Which;
        error.Message.Should().Contain($"'{input}'").And.Contain(fix);
        error.Message.Should().NotContain("\n");
    }

    [Fact]
    public void Platforms_sort_by_their_canonical_text()
    {
        var sorted = new[] { Platform.LinuxArmV7, Platform.LinuxArm64, Platform.LinuxAmd64 }.Order().Select(p => p.ToString());
        sorted.Should().Equal("linux/amd64", "linux/arm/v7", "linux/arm64");
    }
}
