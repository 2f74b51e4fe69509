using MultiArch.Oci;

namespace MultiArch.Docker.Tests;

[Trait("Category", "Unit")]
public sealed class QemuEmulationTests : IDisposable
{
    private readonly TemporaryBuildContext _binfmt = new(); // stands in for /proc/sys/fs/binfmt_misc

    public void Dispose() => _binfmt.Dispose();

    [Fact]
    public void State_of_each_entry_is_read_from_binfmt_misc()
    {
        var emulation = new QemuEmulation(_binfmt.Directory);
        emulation.StateOf(Platform.LinuxArm64).Should().Be(BinfmtState.NotMounted);

        _binfmt.Write("status", "enabled\n");
        _binfmt.Write("qemu-arm", "enabled\ninterpreter /usr/libexec/qemu-binfmt/arm-binfmt-P\nflags: POCF\n");
        _binfmt.Write("qemu-aarch64", "disabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\n");

        emulation.StateOf(Platform.LinuxArmV7).Should().Be(BinfmtState.Enabled);
        emulation.StateOf(Platform.LinuxArm64).Should().Be(BinfmtState.Disabled);
        emulation.StateOf(Platform.Parse("linux/s390x")).Should().Be(BinfmtState.Missing);
        emulation.EntryPath(Platform.LinuxArm64).Should().Be(Path.Combine(_binfmt.Directory, "qemu-aarch64"));
    }
}
