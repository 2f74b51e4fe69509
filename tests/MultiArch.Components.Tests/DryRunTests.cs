using System.Text;
using System.Text.Json;
using MultiArch.Oci;
using MultiArch.Testing;

namespace MultiArch.Components.Tests;

[Trait("Category", "Docker")]
public sealed class DryRunTests
{
    [SkippableFact]
    public async Task Dry_run_prints_the_index_it_would_push_and_pushes_no_index_tag()
    {
        ServiceRequirement.Require(Service.Docker | Service.Registry);
        await using var sandbox = await PipelineSandbox.StartAsync();

        var run = await sandbox.RunAsync(["MergeManifest", "--image-platforms", "linux/amd64", "--dry-run"]);

        run.ExitCode.Should().Be(0, run.ToString());
        var record = PipelineSandbox.Records(sandbox.DigestsDirectory).Should().ContainSingle().Subject;
        // The printed JSON is the index itself: it parses, and names the per-arch image the run pushed.
        var announced = run.Output.IndexOf("Dry run: would push this index", StringComparison.Ordinal);
        announced.Should().BeGreaterThan(-1, run.ToString());
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(run.Output[run.Output.IndexOf('{', announced)..]));
        using var json = JsonDocument.ParseValue(ref reader);
        ImageIndex.Parse(Encoding.UTF8.GetBytes(json.RootElement.GetRawText())).Manifests.Select(m => (m.Platform!.ToString(), m.Digest))
            .Should().Equal([("linux/amd64", record.Digest)]);
        (await sandbox.TagsAsync()).Should().Equal([$"{sandbox.Version}-amd64"],
            "the per-arch image is pushed (the index needs its digest), the index and its tags are not");
    }
}
