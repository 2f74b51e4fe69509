using System.Text;
using MultiArch.Build;
using MultiArch.Oci;
using MultiArch.Testing;

namespace MultiArch.Components.Tests;

// A CI matrix in one test: each leg is its own build (own process state, own digests folder), as on two runners;
// the merge job downloads both legs' artifacts into one folder and runs MergeManifest --skip.
[Trait("Category", "Docker")]
public sealed class MatrixLegTests
{
    [SkippableFact]
    public async Task Each_leg_exports_one_record_and_no_index_then_MergeManifest_skip_merges_both_legs()
    {
        ServiceRequirement.Require(Service.Docker | Service.Qemu | Service.Registry | Service.Skopeo);
        await using var sandbox = await PipelineSandbox.StartAsync();
        var arm64Leg = sandbox.Folder("digests-arm64");
        var amd64Leg = sandbox.Folder("digests-amd64");

        var arm64 = await sandbox.RunAsync(["ExportDigest", "--platform", "linux/arm64", "--digests-directory", arm64Leg]);

        arm64.ExitCode.Should().Be(0, arm64.ToString());
        var arm64Record = PipelineSandbox.Records(arm64Leg).Should().ContainSingle().Subject;
        arm64Record.Platform.Should().Be(Platform.LinuxArm64);
        (await sandbox.TagsAsync()).Should().Equal([$"{sandbox.Version}-arm64"], "a leg pushes its per-arch tag and nothing else");

        var amd64 = await sandbox.RunAsync(["ExportDigest", "--platform", "linux/amd64", "--digests-directory", amd64Leg]);

        amd64.ExitCode.Should().Be(0, amd64.ToString());
        var amd64Record = PipelineSandbox.Records(amd64Leg).Should().ContainSingle().Subject;
        (await sandbox.TagsAsync()).Should().BeEquivalentTo([$"{sandbox.Version}-arm64", $"{sandbox.Version}-amd64"]);

        // download-artifact with a pattern puts each leg's artifact in its own subfolder.
        var downloaded = sandbox.Folder("downloaded");
        CopyFolder(arm64Leg, downloaded / "digests-arm64");
        CopyFolder(amd64Leg, downloaded / "digests-amd64");

        var merge = await sandbox.RunAsync(["MergeManifest", "--skip", "--digests-directory", downloaded]);

        merge.ExitCode.Should().Be(0, merge.ToString());
        merge.Output.Should().NotContain("Building ", "the merge job builds nothing");
        var raw = Encoding.UTF8.GetBytes(await Skopeo.InspectRawAsync(sandbox.Reference(sandbox.Version)));
        ImageIndex.Parse(raw).Manifests.Select(m => (m.Platform!.ToString(), m.Digest)).Should().BeEquivalentTo(
            [("linux/arm64", arm64Record.Digest), ("linux/amd64", amd64Record.Digest)]);
    }

    [SkippableFact]
    public async Task MergeManifest_skip_refuses_a_record_left_by_another_version_and_publishes_nothing()
    {
        ServiceRequirement.Require(Service.Docker | Service.Qemu | Service.Registry);
        await using var sandbox = await PipelineSandbox.StartAsync();
        var earlier = sandbox.Version + "-earlier";

        (await sandbox.RunAsync(["ExportDigest", "--platform", "linux/arm64", "--version", earlier])).ExitCode.Should().Be(0);
        (await sandbox.RunAsync(["ExportDigest", "--platform", "linux/amd64"])).ExitCode.Should().Be(0);

        var merge = await sandbox.RunAsync(["MergeManifest", "--skip"]);

        merge.ExitCode.Should().NotBe(0, merge.ToString());
        merge.ErrorLines.Should().Contain(
            line => line.Contains($"arm64.json' is for {earlier}-arm64, not version {sandbox.Version}"), merge.ToString());
        (await sandbox.TagsAsync()).Should().BeEquivalentTo([$"{earlier}-arm64", $"{sandbox.Version}-amd64"], "no index is pushed");
    }

    static void CopyFolder(AbsolutePath from, AbsolutePath to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
