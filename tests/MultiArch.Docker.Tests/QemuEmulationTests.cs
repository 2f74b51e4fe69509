using MultiArch.Oci;

namespace MultiArch.Docker.Tests;

[Trait("Category", "Unit")]
public sealed class QemuEmulationTests : IDisposable
{
    private readonly TemporaryBuildContext _binfmt = new(); // stands in for /proc/sys/fs/binfmt_misc

    public void Dispose() => _binfmt.Dispose();

    [Fact]
    public void Foreign_platform_without_a_qemu_registration_names_the_entry_and_the_fix()
    {
        _binfmt.Write("status", "enabled\n");
        _binfmt.Write("qemu-arm", "enabled\ninterpreter /usr/libexec/qemu-binfmt/arm-binfmt-P\nflags: POCF\n");

        var problem = new QemuEmulation(_binfmt.Directory).Problem(Platform.LinuxArm64, Platform.LinuxAmd64);

        problem.Should().Contain("linux/arm64").And.Contain(Path.Combine(_binfmt.Directory, "qemu-aarch64"))
            .And.Contain("docker run --privileged --rm tonistiigi/binfmt --install arm64")
            .And.Contain("update-binfmts --enable qemu-aarch64");
        problem.Should().NotContain("\n");
    }

    [Fact]
    public void Disabled_qemu_registration_says_to_enable_it()
    {
        _binfmt.Write("status", "enabled\n");
        _binfmt.Write("qemu-aarch64", "disabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\n");

        new QemuEmulation(_binfmt.Directory).Problem(Platform.LinuxArm64, Platform.LinuxAmd64)
            .Should().Contain("disabled").And.Contain("update-binfmts --enable qemu-aarch64");
    }

    [Fact]
    public void Unmounted_binfmt_misc_says_how_to_mount_it()
    {
        new QemuEmulation(_binfmt.Directory).Problem(Platform.LinuxArmV7, Platform.LinuxAmd64)
            .Should().Contain($"mount -t binfmt_misc binfmt_misc {_binfmt.Directory}");
    }

    [Fact]
    public void Enabled_registration_and_the_native_platform_need_nothing()
    {
        _binfmt.Write("status", "enabled\n");
        _binfmt.Write("qemu-arm", "enabled\ninterpreter /usr/libexec/qemu-binfmt/arm-binfmt-P\n");
        var emulation = new QemuEmulation(_binfmt.Directory);

        emulation.Problem(Platform.LinuxArmV7, Platform.LinuxAmd64).Should().BeNull();
        emulation.Problem(Platform.LinuxAmd64, Platform.LinuxAmd64).Should().BeNull();
        emulation.Problem(Platform.Parse("linux/386"), Platform.LinuxAmd64).Should().BeNull();
    }
}
