using System.Text;
using MultiArch.Oci;
using MultiArch.Testing;

namespace MultiArch.Components.Tests;

[Trait("Category", "Docker")]
public sealed class RerunTests
{
    [SkippableFact]
    public async Task Running_the_same_version_again_gives_the_same_index_digest_and_reports_its_tags_unchanged()
    {
        ServiceRequirement.Require(Service.Docker | Service.Qemu | Service.Registry | Service.Skopeo);
        await using var sandbox = await PipelineSandbox.StartAsync();

        var first = await sandbox.RunAsync(["MergeManifest"]);
        first.ExitCode.Should().Be(0, first.ToString());
        var firstIndex = await IndexDigestAsync(sandbox);

        var second = await sandbox.RunAsync(["MergeManifest"]);

        second.ExitCode.Should().Be(0, second.ToString());
        (await IndexDigestAsync(sandbox)).Should().Be(firstIndex);
        second.Output.Should().Contain($"{sandbox.Reference(sandbox.Version)}@{firstIndex}");
        second.Output.Should().Contain("unchanged", second.ToString());
    }

    static async Task<Digest> IndexDigestAsync(PipelineSandbox sandbox) =>
        Digest.Compute(Encoding.UTF8.GetBytes(await Skopeo.InspectRawAsync(sandbox.Reference(sandbox.Version))));
}
