using System.Diagnostics;
using MultiArch.Oci;

namespace MultiArch.Docker.Tests;

// Each architecture's executable run by the real thing: natively for this machine's own, else by QEMU's user-mode
// emulator directly (no binfmt involved), so a wrong opcode or header fails here, not as a "cannot run" on a runner.
[Trait("Category", "Unit")]
public sealed class ExitZeroExecutableTests
{
    public static TheoryData<string> Platforms => new()
    {
        "linux/amd64", "linux/386", "linux/arm/v7", "linux/arm64", "linux/ppc64le", "linux/s390x", "linux/riscv64",
        "linux/mips64le", "linux/loong64",
    };

    [SkippableTheory]
    [MemberData(nameof(Platforms))]
    public void Executable_exits_zero_on_its_architecture(string text)
    {
        var platform = Platform.Parse(text);
        var emulator = $"/usr/bin/qemu-{QemuEmulation.QemuArchitecture(platform)}-static";
        var native = platform.Architecture == "amd64" && System.Runtime.InteropServices.RuntimeInformation.OSArchitecture
            == System.Runtime.InteropServices.Architecture.X64;
        Skip.If(!native && !File.Exists(emulator), $"{emulator} is not installed (apt-get install qemu-user-static)");
        var path = Path.Combine(Path.GetTempPath(), $"multiarch-exit0-{platform.Pair}-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllBytes(path, ExitZeroExecutable.For(platform));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
            using var process = Process.Start(new ProcessStartInfo(native ? path : emulator) { ArgumentList = { },
                RedirectStandardError = true }
                .WithArgument(native ? null : path))!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            process.ExitCode.Should().Be(0, $"{platform} under {(native ? "the kernel" : emulator)}: {error}");
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Headers_say_the_class_byte_order_and_machine_of_the_platform()
    {
        var arm = ExitZeroExecutable.For(Platform.LinuxArmV7);
        arm[..4].Should().Equal(0x7F, (byte)'E', (byte)'L', (byte)'F');
        arm[4].Should().Be(1, "32-bit");
        BitConverter.ToUInt16(arm, 18).Should().Be(40, "EM_ARM");
        var s390x = ExitZeroExecutable.For(Platform.Parse("linux/s390x"));
        (s390x[4], s390x[5]).Should().Be(((byte)2, (byte)2), "64-bit, big-endian");
        FluentActions.Invoking(() => ExitZeroExecutable.For(Platform.Parse("windows/amd64"))).Should().Throw<ArgumentException>();
    }
}

static class StartInfoExtensions
{
    public static ProcessStartInfo WithArgument(this ProcessStartInfo info, string? argument)
    {
        if (argument is not null) info.ArgumentList.Add(argument);
        return info;
    }
}
