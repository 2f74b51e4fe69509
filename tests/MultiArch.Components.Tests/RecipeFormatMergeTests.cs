using System.Text;
using MultiArch.Oci;
using MultiArch.Testing;

namespace MultiArch.Components.Tests;

// Issue 3's acceptance: MergeManifest --skip against Docker's multi-runner format (one empty file per digest)
// publishes the version, major.minor, major and latest; with one platform missing it names it and changes no tag.
[Trait("Category", "Docker")]
public sealed class RecipeFormatMergeTests
{
    [SkippableFact]
    public async Task MergeManifest_skip_accepts_dockers_one_file_per_digest_format_and_refuses_a_missing_platform()
    {
        ServiceRequirement.Require(Service.Docker | Service.Qemu | Service.Registry | Service.Skopeo);
        await using var sandbox = await PipelineSandbox.StartAsync();
        var legs = sandbox.Folder("legs");
        var export = await sandbox.RunAsync(
        [
            "ExportDigest", "--repository", "demo/app", "--version", "1.2.3", "--platform", "linux/amd64", "linux/arm64",
            "--digests-directory", legs,
        ]);
        export.ExitCode.Should().Be(0, export.ToString());

        var recipe = sandbox.Folder("recipe");
        foreach (var record in PipelineSandbox.Records(legs)) File.WriteAllBytes(recipe / record.Digest.Hex, []);
        string[] merge =
        [
            "MergeManifest", "--skip", "--repository", "demo/app", "--version", "1.2.3", "--platform", "linux/amd64", "linux/arm64",
            "--digests-directory", recipe,
        ];

        var merged = await sandbox.RunAsync(merge);

        merged.ExitCode.Should().Be(0, merged.ToString());
        var published = new Dictionary<string, string>();
        foreach (var tag in new[] { "1.2.3", "1.2", "1", "latest" })
        {
            var raw = await Skopeo.InspectRawAsync($"{sandbox.Registry.Host}/demo/app:{tag}");
            ImageIndex.Parse(Encoding.UTF8.GetBytes(raw)).Manifests.Select(m => m.Platform!.ToString())
                .Should().BeEquivalentTo(["linux/amd64", "linux/arm64"], tag);
            published[tag] = raw;
        }

        File.Delete(Directory.EnumerateFiles(recipe).First(
            f => PipelineSandbox.Records(legs).Single(r => r.Platform == Platform.LinuxArm64).Digest.Hex == Path.GetFileName(f)));
        var refused = await sandbox.RunAsync([.. merge, "--extra-tags", "refused"]);

        refused.ExitCode.Should().NotBe(0, refused.ToString());
        refused.ErrorLines.Should().ContainSingle().Which.Should().Contain("linux/arm64");
        foreach (var (tag, raw) in published)
            (await Skopeo.InspectRawAsync($"{sandbox.Registry.Host}/demo/app:{tag}")).Should().Be(raw, $"{tag} is untouched");
        (await TagsAsync(sandbox)).Should().NotContain("refused");
    }

    static async Task<IReadOnlyList<string>> TagsAsync(PipelineSandbox sandbox)
    {
        using var client = sandbox.Registry.CreateClient();
        return await client.ListTagsAsync("demo/app");
    }
}
