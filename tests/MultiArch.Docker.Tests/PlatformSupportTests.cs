using MultiArch.Oci;

namespace MultiArch.Docker.Tests;

// The decision table: (engine platform, binfmt state, probe outcome) -> native, emulated or one problem line.
[Trait("Category", "Unit")]
public sealed class PlatformSupportTests
{
    const string Binfmt = "/proc/sys/fs/binfmt_misc";
    static readonly Platform Amd64 = Platform.LinuxAmd64, Arm64 = Platform.LinuxArm64, ArmV7 = Platform.LinuxArmV7;
    static readonly ProbeOutcome Ran = ProbeOutcome.Success;
    static readonly ProbeOutcome ExecFormatError = ProbeOutcome.Failed("exec /exit0: exec format error");

    [Fact]
    public void Arm_v7_on_an_arm64_engine_that_runs_it_without_binfmt_is_native()
    {
        // GitHub's ubuntu-24.04-arm: no qemu-arm entry, and the CPU runs AArch32 itself.
        var support = PlatformSupport.Decide(ArmV7, Arm64, BinfmtState.Missing, Ran);

        support.Kind.Should().Be(PlatformSupportKind.Native);
        support.Problem.Should().BeNull();
        support.Summary.Should().Be("linux/arm/v7 runs natively on this linux/arm64 engine");
    }

    [Fact]
    public void Arm_v7_on_an_arm64_engine_without_AArch32_or_binfmt_is_a_problem_naming_the_CPU_and_the_fix()
    {
        var support = PlatformSupport.Decide(ArmV7, Arm64, BinfmtState.Missing, ExecFormatError);

        support.Kind.Should().Be(PlatformSupportKind.Problem);
        support.NeedsQemu.Should().BeTrue();
        support.Problem.Should().Be("Cannot build linux/arm/v7 on this linux/arm64 engine: it does not run linux/arm/v7 natively " +
            "(exec /exit0: exec format error; this arm64 CPU has no AArch32, as on Graviton4 / Neoverse V2) " +
            $"and QEMU emulation is not registered ({Binfmt}/qemu-arm is missing); " +
            "run `docker run --privileged --rm tonistiigi/binfmt --install arm` or `update-binfmts --enable qemu-arm`.");
    }

    [Theory]
    [InlineData(BinfmtState.Enabled, PlatformSupportKind.Emulated)]
    [InlineData(BinfmtState.Missing, PlatformSupportKind.Native)]
    [InlineData(BinfmtState.Disabled, PlatformSupportKind.Native)]
    [InlineData(BinfmtState.NotMounted, PlatformSupportKind.Native)]
    public void A_probe_that_ran_is_emulated_exactly_when_an_enabled_entry_took_it(BinfmtState binfmt, PlatformSupportKind kind)
    {
        PlatformSupport.Decide(Arm64, Amd64, binfmt, Ran).Kind.Should().Be(kind);
        PlatformSupport.Decide(Amd64, Amd64, binfmt == BinfmtState.Enabled ? BinfmtState.Missing : binfmt, Ran).Kind
            .Should().Be(PlatformSupportKind.Native);
    }

    [Fact]
    public void Emulated_summary_names_the_entry()
    {
        PlatformSupport.Decide(Arm64, Amd64, BinfmtState.Enabled, Ran).Summary.Should().Be("linux/arm64 runs under QEMU " +
            $"({Binfmt}/qemu-aarch64)");
    }

    [Fact]
    public void A_probe_that_failed_names_what_binfmt_lacks_and_the_one_fix_for_it()
    {
        var missing = PlatformSupport.Decide(Arm64, Amd64, BinfmtState.Missing, ExecFormatError).Problem;
        missing.Should().StartWith("Cannot build linux/arm64 on this linux/amd64 engine: " +
            "it does not run linux/arm64 natively (exec /exit0: exec format error)")
            .And.Contain($"QEMU emulation is not registered ({Binfmt}/qemu-aarch64 is missing)")
            .And.Contain("docker run --privileged --rm tonistiigi/binfmt --install arm64").And.Contain("update-binfmts " +
                "--enable qemu-aarch64")
            .And.NotContain("AArch32");

        PlatformSupport.Decide(Arm64, Amd64, BinfmtState.Disabled, ExecFormatError).Problem
            .Should().Contain($"registered but disabled ({Binfmt}/qemu-aarch64); run `update-binfmts --enable qemu-aarch64`.");
        PlatformSupport.Decide(ArmV7, Amd64, BinfmtState.NotMounted, ExecFormatError, "/tmp/binfmt").Problem
            .Should().Contain("binfmt_misc is not mounted at /tmp/binfmt; run `mount -t binfmt_misc binfmt_misc /tmp/binfmt`, " +
                "then run `docker run");

        var enabled = PlatformSupport.Decide(Arm64, Amd64, BinfmtState.Enabled, ExecFormatError);
        enabled.NeedsQemu.Should().BeFalse("it is registered: registering again is not the fix");
        enabled.Problem.Should().Contain($"QEMU emulation is registered ({Binfmt}/qemu-aarch64) " +
            "but a linux/arm64 container did not run (exec /exit0: exec format error)")
            .And.Contain("F flag");
    }

    [Fact]
    public void Windows_on_a_linux_engine_is_never_probed_and_never_sent_to_QEMU()
    {
        var support = PlatformSupport.Decide(Platform.Parse("windows/amd64"), Amd64, BinfmtState.Missing, null);

        support.Kind.Should().Be(PlatformSupportKind.Problem);
        support.NeedsQemu.Should().BeFalse();
        support.Problem.Should().Be("Cannot build windows/amd64 on this linux/amd64 engine: " +
            "it runs linux containers and cannot build windows images, " +
            "with or without QEMU; remove windows/amd64 from --platform, or build it on a windows engine.");
    }

    [Fact]
    public void Every_problem_is_one_line()
    {
        foreach (var binfmt in Enum.GetValues<BinfmtState>())
            PlatformSupport.Decide(ArmV7, Arm64, binfmt, ExecFormatError).Problem.Should().NotBeNull().And.NotContain("\n");
    }
}
