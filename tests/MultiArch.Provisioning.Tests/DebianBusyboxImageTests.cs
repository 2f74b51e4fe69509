using System.Diagnostics;
using System.Text;
using MultiArch.Oci;
using MultiArch.Testing;

namespace MultiArch.Provisioning.Tests;

// The offline base image: built from Debian's .debs into a registry of the test's own, read back with skopeo, run by
// the real engine for each platform (under QEMU for the foreign ones), and the same bytes when built twice.
[Trait("Category", "Docker")]
[Collection(MachineCollection.Name)]
public sealed class DebianBusyboxImageTests
{
    static readonly Platform[] Platforms = [Platform.LinuxAmd64, Platform.LinuxArm64, Platform.LinuxArmV7];

    [SkippableFact]
    public async Task Builds_one_index_for_three_platforms_that_runs_on_each_and_is_found_on_the_second_run()
    {
        ServiceRequirement.Require(Service.RootOnDebian | Service.Registry | Service.Skopeo | Service.Docker | Service.Qemu);
        await using var registry = await RegistryProcess.StartAsync();
        var repository = $"test/busybox-{Guid.NewGuid():N}"[..24];
        var step = new DebianBusyboxImage(registry.Host, repository, ["1.35", "latest"], Platforms);
        var context = new ProvisioningContext(new ProvisioningPolicy(true, true, "debian", "sudo ./build.sh LocalServices"), _ => { });

        (await step.CheckAsync(context, default)).Satisfied.Should().BeFalse();
        var did = await step.ProvideAsync(context, StepCheck.Lacks("it"), default);
        (await step.CheckAsync(context, default)).Satisfied.Should().BeTrue(did);

        var raw = await Skopeo.InspectRawAsync($"{registry.Host}/{repository}:1.35");
        var index = ImageIndex.Parse(Encoding.UTF8.GetBytes(raw));
        index.Manifests.Select(m => m.Platform!.ToString()).Should().BeEquivalentTo(["linux/amd64", "linux/arm64", "linux/arm/v7"]);
        (await Skopeo.InspectRawAsync($"{registry.Host}/{repository}:latest")).Should().Be(raw, "both tags name the same index");

        foreach (var (platform, machine) in new[] { ("linux/amd64", "x86_64"), ("linux/arm64", "aarch64"), ("linux/arm/v7", "armv7l") })
            (await DockerRunAsync(platform, $"{registry.Host}/{repository}:1.35", "uname", "-m")).Should().Be(machine);
        (await DockerRunAsync("linux/arm64", $"{registry.Host}/{repository}:1.35", "sh", "-c", "id -un && ls /tmp -ld | cut -c1-10"))
            .Should().Be("root\ndrwxrwxrwt");

        // The same packages give the same bytes: a rebuild elsewhere publishes the same digest.
        await using var second = await RegistryProcess.StartAsync();
        await new DebianBusyboxImage(second.Host, repository, ["1.35"], Platforms).ProvideAsync(context, StepCheck.Lacks("it"), default);
        (await Skopeo.InspectRawAsync($"{second.Host}/{repository}:1.35")).Should().Be(raw);
    }

    static async Task<string> DockerRunAsync(string platform, string image, params string[] command)
    {
        var start = new ProcessStartInfo("/usr/bin/docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "run", "--rm", "--pull", "always", "--network", "host", "--platform", platform, image }.Concat(command))
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, error);
        return output.Trim();
    }
}
