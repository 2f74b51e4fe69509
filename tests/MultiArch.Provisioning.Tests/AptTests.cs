using MultiArch.Testing;

namespace MultiArch.Provisioning.Tests;

// The fresh-machine bug: package lists read before a foreign architecture was added do not list its packages, so
// the lists must be read again after adding one. This changes the real machine (root, Debian), as provisioning does.
[Trait("Category", "Machine")]
[Collection(MachineCollection.Name)]
public sealed class AptTests
{
    [SkippableFact]
    public async Task Adding_an_architecture_after_the_lists_were_read_reads_them_again()
    {
        ServiceRequirement.Require(Service.RootOnDebian);
        const string arch = "armhf";
        var apt = new Apt();
        // Start as a fresh machine does: without the architecture (possible only while none of its packages is installed).
        var installed = await HostCommand.RunAsync("dpkg-query", ["-W", "-f=${Architecture}\n"]);
        Skip.If(installed.Split('\n').Contains(arch) && !ServiceRequirement.IsCi, $"an {arch} package is installed, " +
            "so the architecture cannot be removed");
        if ((await Apt.ArchitecturesAsync(default)).Contains(arch)) await HostCommand.RunAsync("dpkg", ["--remove-architecture", arch]);
        await apt.UpdateAsync(default);

        (await Apt.AddArchitectureAsync(arch, default)).Should().BeTrue();
        using var folder = new TempDirectory("multiarch-apt-test.");
        var debs = await apt.DownloadAsync([$"busybox-static:{arch}"], folder.Path, default);

        debs.Should().ContainSingle().Which.Should().EndWith($"_{arch}.deb");
        apt.UpdateCount.Should().Be(2, "the lists were read once before and once after adding the architecture");
        await apt.DownloadAsync([$"busybox-static:{arch}"], folder.Path, default);
        apt.UpdateCount.Should().Be(2, "the same architectures need no second read");
    }
}
