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
        probe.EmulationProblem(status, Platform.LinuxArm64).Should().BeNull();
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
    public async Task Probe_with_no_qemu_registration_for_a_foreign_platform_fails_with_the_fix()
    {
        ServiceRequirement.Require(Service.Docker);
        using var binfmt = new TemporaryBuildContext(); // an empty, mounted-looking binfmt_misc
        binfmt.Write("status", "enabled\n");
        var probe = new DockerEngineProbe(emulation: new QemuEmulation(binfmt.Directory));
        var foreign = (await probe.ProbeAsync()).NativePlatform == Platform.LinuxArm64 ? Platform.LinuxAmd64 : Platform.LinuxArm64;

        var error = await probe.Invoking(p => p.EnsureReadyAsync([foreign])).Should().ThrowAsync<DockerEngineUnavailableException>();

        error.Which.Message.Should().Contain($"Cannot build {foreign}")
            .And.Contain($"tonistiigi/binfmt --install {foreign.Architecture}")
            .And.Contain($"update-binfmts --enable qemu-{QemuEmulation.QemuArchitecture(foreign)}");
    }
}
