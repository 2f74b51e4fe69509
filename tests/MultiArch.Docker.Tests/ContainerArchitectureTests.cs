using MultiArch.Oci;
using MultiArch.Testing;
using Xunit.Abstractions;

namespace MultiArch.Docker.Tests;

[Trait("Category", "Unit")]
public sealed class ContainerArchitectureTests
{
    [Theory]
    [InlineData("armv7l\n32\n")] // QEMU
    [InlineData("armv8l\n32\n")] // native on an arm64 kernel, linux32 personality
    [InlineData("aarch64\n32\n")] // native on an arm64 kernel without it (GitHub's ubuntu-24.04-arm)
    [InlineData("armv6l\n32\n")]
    public void Any_32_bit_userland_on_an_Arm_machine_is_linux_arm(string output)
    {
        ContainerArchitecture.Parse(output).Mismatch(Platform.LinuxArmV7).Should().BeNull();
    }

    [Theory]
    [InlineData("linux/arm/v7", "aarch64\n64\n", "expected a 32-bit userland on an Arm machine (armv7l, " +
        "armv8l or aarch64) for linux/arm/v7")]
    [InlineData("linux/arm/v7", "x86_64\n32\n", "expected a 32-bit userland on an Arm machine (armv7l, " +
        "armv8l or aarch64) for linux/arm/v7")]
    [InlineData("linux/arm64", "aarch64\n32\n", "expected aarch64, 64-bit for linux/arm64")]
    [InlineData("linux/amd64", "aarch64\n64\n", "expected x86_64, 64-bit for linux/amd64")]
    public void Wrong_machine_or_word_size_says_what_was_expected(string platform, string output, string expected)
    {
        ContainerArchitecture.Parse(output).Mismatch(Platform.Parse(platform)).Should().Be(expected);
    }

    [Fact]
    public void Own_platforms_match()
    {
        ContainerArchitecture.Parse("x86_64\n64").Mismatch(Platform.LinuxAmd64).Should().BeNull();
        ContainerArchitecture.Parse("aarch64\n64").Mismatch(Platform.LinuxArm64).Should().BeNull();
        ContainerArchitecture.Parse("x86_64\n32").Mismatch(Platform.Parse("linux/386")).Should().BeNull();
        ContainerArchitecture.Parse("armv8l\n32").ToString().Should().Be("armv8l, 32-bit");
    }

    [Theory]
    [InlineData("x86_64")]
    [InlineData("x86_64\n16")]
    [InlineData("")]
    public void Output_that_is_not_a_machine_and_a_word_size_is_a_format_error(string output)
    {
        FluentActions.Invoking(() => ContainerArchitecture.Parse(output)).Should().Throw<FormatException>();
    }
}

// The command itself, in real busybox containers (no getconf there: the ELF-class fallback), natively and under QEMU.
[Trait("Category", "Docker")]
public sealed class ContainerArchitectureEngineTests(ITestOutputHelper log)
{
    [SkippableTheory]
    [InlineData("linux/amd64", "x86_64", 64)]
    [InlineData("linux/arm64", "aarch64", 64)]
    [InlineData("linux/arm/v7", "armv7l", 32)] // QEMU's name: this machine is amd64
    public async Task Busybox_reports_its_machine_and_word_size(string text, string machine, int bits)
    {
        ServiceRequirement.Require(Service.Docker | Service.Qemu);
        var platform = Platform.Parse(text);
        var image = $"127.0.0.1:5000/multiarch/busybox:1.35-{platform.Pair}";
        var cli = (await DockerCli.LocateAsync()).For(DockerEndpoint.Resolve());
        Skip.If(await cli.LocalImagePlatformAsync(image) is null && !await PullsAsync(cli, image), $"{image} is not there " +
            "(./build.sh LocalServices builds it)");

        var running = await ContainerArchitecture.ReadAsync(cli, image, platform);

        log.WriteLine($"{platform}: {running}");
        running.Should().Be(new ContainerArchitecture(machine, bits));
        running.Mismatch(platform).Should().BeNull();
    }

    static async Task<bool> PullsAsync(DockerCli cli, string image)
    {
        try { await cli.ExecuteAsync($"docker pull {image}", ["pull", image], null); return true; }
        catch (DockerCommandException) { return false; }
    }
}
