using Xunit.Abstractions;
using MultiArch.Oci;
using MultiArch.Testing;

namespace MultiArch.Docker.Tests;

[Trait("Category", "Docker")]
public sealed class DockerEngineProbeTests(ITestOutputHelper log)
{
    [SkippableFact]
    public async Task Probe_reports_a_reachable_engine_with_its_version_storage_driver_and_client()
    {
        ServiceRequirement.Require(Service.Docker | Service.Qemu);

        var probe = new DockerEngineProbe();
        var status = await probe.EnsureReadyAsync([Platform.LinuxAmd64, Platform.LinuxArm64]);

        log.WriteLine(status.ToString());
        status.Reachable.Should().BeTrue();
        status.StorageDriver.Should().NotBeNullOrWhiteSpace();
        status.ServerVersion.Should().MatchRegex(@"^\d+\.\d+");
        status.ApiVersion.Should().MatchRegex(@"^1\.\d+$");
        status.NativePlatform.Should().NotBeNull();
        status.Cli.Should().NotBeNull();
        status.ToString().Should().Contain($"storage {status.StorageDriver}").And.Contain($"API {status.ApiVersion}");
        (await probe.PlatformProblemAsync(status, Platform.LinuxArm64)).Should().BeNull();
    }

    [Theory]
    [InlineData("unix", "no socket there")]
    [InlineData("tcp", "Connection refused")]
    public async Task Probe_of_a_dead_DOCKER_HOST_says_how_to_start_the_engine(string scheme, string reason)
    {
        using var directory = new TemporaryBuildContext();
        var dead = scheme == "unix" ? "unix://" + Path.Combine(directory.Directory, "docker.sock") : $"tcp://127.0.0.1:{FreePort.Next()}";
        var probe = new DockerEngineProbe(dead);

        var status = await probe.ProbeAsync();

        log.WriteLine(status.Problem);
        status.Reachable.Should().BeFalse();
        status.Problem.Should().StartWith($"Docker engine not reachable at {dead} ({reason}")
            .And.Contain("sudo systemctl start docker").And.Contain("DOCKER_HOST").And.NotContain("\n");
        (await probe.Invoking(p => p.EnsureReadyAsync([Platform.LinuxAmd64])).Should()
            .ThrowAsync<DockerEngineUnavailableException>()).Which.Message.Should().Be(status.Problem);
    }

    [SkippableFact]
    public async Task Engine_runs_its_own_platform_natively_and_a_foreign_one_under_the_registered_QEMU()
    {
        ServiceRequirement.Require(Service.Docker | Service.Qemu);
        var probe = new DockerEngineProbe();
        var status = await probe.EnsureReadyAsync([]);
        var native = status.NativePlatform!;
        var foreign = native == Platform.LinuxArm64 ? Platform.LinuxAmd64 : Platform.LinuxArm64;
        Skip.If(new QemuEmulation().StateOf(foreign) != BinfmtState.Enabled, $"qemu for {foreign} is not registered here");

        var own = await probe.SupportAsync(status, native);
        var emulated = await probe.SupportAsync(status, foreign);

        log.WriteLine(own.Summary);
        log.WriteLine(emulated.Summary);
        own.Kind.Should().Be(PlatformSupportKind.Native, own.Summary);
        emulated.Kind.Should().Be(PlatformSupportKind.Emulated, emulated.Summary);
        emulated.Summary.Should().Contain($"qemu-{QemuEmulation.QemuArchitecture(foreign)}");
        if (native == Platform.LinuxAmd64)
        {
            // Not from the name: 386 is another architecture, yet this CPU runs it with no emulator registered.
            var i386 = await probe.SupportAsync(status, Platform.Parse("linux/386"));
            log.WriteLine(i386.Summary);
            i386.Kind.Should().Be(new QemuEmulation().StateOf(Platform.Parse("linux/386")) == BinfmtState.Enabled
                ? PlatformSupportKind.Emulated : PlatformSupportKind.Native, i386.Summary);
            if (new QemuEmulation().StateOf(Platform.LinuxArmV7) == BinfmtState.Enabled)
                (await probe.SupportAsync(status, Platform.LinuxArmV7)).Kind.Should().Be(PlatformSupportKind.Emulated);
        }
    }

    // The real kernel, not a faked binfmt folder: s390x is taken through missing (or as found), enabled and disabled,
    // and put back as it was. Nothing else here builds s390x, so no other test depends on its entry meanwhile.
    [SkippableFact]
    public async Task Foreign_platform_is_a_problem_until_QEMU_is_registered_and_enabled_for_it()
    {
        ServiceRequirement.Require(Service.Docker | Service.RootOnDebian);
        var s390x = Platform.Parse("linux/s390x");
        var emulation = new QemuEmulation();
        Skip.If(!File.Exists("/usr/libexec/qemu-binfmt/s390x-binfmt-P") && !File.Exists("/usr/bin/qemu-s390x-static"),
            "qemu-user-static is not installed");
        var entry = emulation.EntryPath(s390x);
        var before = emulation.StateOf(s390x);
        Skip.If(before == BinfmtState.NotMounted, "binfmt_misc is not mounted");
        async Task<PlatformSupport> Probe()
        {
            var probe = new DockerEngineProbe(emulation: emulation); // a new probe: support is cached per probe
            return await probe.SupportAsync(await probe.EnsureReadyAsync([]), s390x);
        }
        try
        {
            if (before == BinfmtState.Missing)
            {
                var missing = await Probe();
                log.WriteLine(missing.Summary);
                missing.Kind.Should().Be(PlatformSupportKind.Problem);
                missing.NeedsQemu.Should().BeTrue();
                missing.Summary.Should().StartWith("Cannot build linux/s390x on this linux/")
                    .And.Contain("it does not run linux/s390x natively (").And.Contain("QEMU emulation is not registered " +
                        $"({entry} is missing)")
                    .And.Contain("update-binfmts --enable qemu-s390x").And.NotContain("\n");
            }

            Run("update-binfmts", "--enable", "qemu-s390x");
            var enabled = await Probe();
            log.WriteLine(enabled.Summary);
            enabled.Kind.Should().Be(PlatformSupportKind.Emulated, enabled.Summary);

            File.WriteAllText(entry, "0");
            var disabled = await Probe();
            log.WriteLine(disabled.Summary);
            disabled.Kind.Should().Be(PlatformSupportKind.Problem);
            disabled.Summary.Should().Contain($"QEMU emulation is registered but disabled ({entry}); " +
                "run `update-binfmts --enable qemu-s390x`");
        }
        finally
        {
            if (before == BinfmtState.Missing && File.Exists(entry)) File.WriteAllText(entry, "-1"); // unregister again
            else if (before == BinfmtState.Enabled) File.WriteAllText(entry, "1");
            else if (before == BinfmtState.Disabled && File.Exists(entry)) File.WriteAllText(entry, "0");
        }
        emulation.StateOf(s390x).Should().Be(before, "the entry is put back as it was");
    }

    [SkippableFact]
    public async Task Windows_platform_on_a_linux_engine_says_the_engine_cannot_build_it_not_to_install_QEMU()
    {
        ServiceRequirement.Require(Service.Docker);
        var probe = new DockerEngineProbe();

        var error = await probe.Invoking(p =>
            p.EnsureReadyAsync([Platform.Parse("windows/amd64")])).Should().ThrowAsync<DockerEngineUnavailableException>();

        log.WriteLine(error.Which.Message);
        error.Which.Message.Should().StartWith("Cannot build windows/amd64 on this linux/")
            .And.Contain("runs linux containers and cannot build windows images").And.NotContain("qemu").And.NotContain("binfmt");
    }

    static void Run(string command, params string[] arguments)
    {
        using var process = System.Diagnostics.Process.Start(command, arguments)!;
        process.WaitForExit();
        process.ExitCode.Should().Be(0, $"{command} {string.Join(' ', arguments)}");
    }
}
