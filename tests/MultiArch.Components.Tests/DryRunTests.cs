using System.Text;
using System.Text.RegularExpressions;
using System.Text.Json;
using MultiArch.Oci;
using MultiArch.Testing;

namespace MultiArch.Components.Tests;

[Trait("Category", "Docker")]
public sealed class DryRunTests
{
    [SkippableFact]
    public async Task Dry_run_prints_the_index_it_would_push_and_pushes_nothing()
    {
        ServiceRequirement.Require(Service.Docker | Service.Registry);
        await using var sandbox = await PipelineSandbox.StartAsync();

        var run = await sandbox.RunAsync(["MergeManifest", "--image-platforms", "linux/amd64", "--dry-run"]);

        run.ExitCode.Should().Be(0, run.ToString());
        PipelineSandbox.Records(sandbox.DigestsDirectory).Should().BeEmpty("a dry run's records would name its throwaway registry");
        var wouldPush = Regex.Match(
            run.Output,
            $@"Dry run: would push {Regex.Escape(sandbox.Reference(sandbox.Version + "-amd64"))}@(sha256:[0-9a-f]{{64}}) \(linux/amd64\)");
        wouldPush.Success.Should().BeTrue(run.ToString());
        // The printed JSON is the index itself: it parses, and names the per-arch image the run would push.
        var announced = run.Output.IndexOf("Dry run: would push this index", StringComparison.Ordinal);
        announced.Should().BeGreaterThan(-1, run.ToString());
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(run.Output[run.Output.IndexOf('{', announced)..]));
        using var json = JsonDocument.ParseValue(ref reader);
        ImageIndex.Parse(Encoding.UTF8.GetBytes(json.RootElement.GetRawText())).Manifests
            .Select(m => (m.Platform!.ToString(), m.Digest.ToString()))
            .Should().Equal([("linux/amd64", wouldPush.Groups[1].Value)]);
        (await sandbox.TagsAsync()).Should().BeEmpty("neither the per-arch image nor the index reaches the target registry");
    }
}
