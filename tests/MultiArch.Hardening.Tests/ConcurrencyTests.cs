using System.Text;
using MultiArch.Ghcr;
using MultiArch.Ghcr.Tests;
using MultiArch.Oci;
using MultiArch.Testing;

namespace MultiArch.Hardening.Tests;

/// <summary>Two jobs racing on the same version (a re-run while the first is still going): nothing breaks.</summary>
[Trait("Category", "Registry"), Collection(ReliabilityCollection.Name)]
public sealed class ConcurrencyTests
{
    static readonly Platform[] Platforms = [Platform.LinuxAmd64, Platform.LinuxArm64];

    [SkippableFact]
    public async Task Two_merges_of_the_same_version_at_once_both_finish_and_every_tag_points_at_the_complete_index()
    {
        ServiceRequirement.Require(Service.Registry | Service.Skopeo);
        await using var registry = await RegistryProcess.StartAsync();
        using var seed = registry.CreateClient();
        var records = new List<DigestRecord>();
        foreach (var platform in Platforms)
        {
            var image = await TestImages.PushImageAsync(seed, "demo/race", platform, tag: $"2.0.0-{platform.Pair}", seed: 9);
            records.Add(new DigestRecord(ImageReference.Parse($"{registry.Host}/demo/race"), image.Digest, platform,
                $"2.0.0-{platform.Pair}", image.MediaType, image.Bytes.Length));
        }
        var request = new MergeRequest(ImageReference.Create(registry.Host, "demo/race"), Platforms, records)
            { Tags = TagRules.For("2.0.0") };

        using var first = registry.CreateClient();
        using var second = registry.CreateClient();
        var results = await Task.WhenAll(new ManifestMerger(first).MergeAsync(request), new ManifestMerger(second).MergeAsync(request));

        results[0].Digest.Should().Be(results[1].Digest, "the same inputs give the same index, byte for byte");
        foreach (var tag in request.Tags)
        {
            var raw = await Skopeo.InspectRawAsync($"{registry.Host}/demo/race:{tag}");
            Digest.Compute(Encoding.UTF8.GetBytes(raw)).Should().Be(results[0].Digest, $"tag {tag}");
            ImageIndex.Parse(Encoding.UTF8.GetBytes(raw)).Manifests.Select(m => m.Platform).Should().BeEquivalentTo(Platforms);
        }
        Ledger.Notes.Enqueue($"Concurrency: two merges of 2.0.0 at once both finished; all {request.Tags.Count} tags point at the same " +
            "complete two-platform index (skopeo).");
    }

    [SkippableFact]
    public async Task Two_cleanups_at_once_delete_every_orphan_once_and_nothing_protected()
    {
        await using var scenario = await CleanupScenario.StartAsync();
        var logs = new[] { new StringWriter(), new StringWriter() };

        var reports = await Task.WhenAll(logs.Select(log => UntaggedCleaner.RunAsync(scenario.Request(log))));

        foreach (var report in reports)
            report.Outcome.Should().Be(CleanupOutcome.Completed, string.Join("\n", logs.Select(l => l.ToString())));
        reports.SelectMany(r => r.Deleted).Select(d => d.Digest).Distinct().Should().BeEquivalentTo(scenario.Orphans);
        var lost = 0;
        foreach (var kept in scenario.ProtectedUntagged.Append(scenario.Fresh))
            if (!await scenario.Repository.ExistsAsync(kept)) lost++;
        foreach (var tag in scenario.Tags)
            await Skopeo.InspectRawAsync($"{scenario.Registry.Host}/{scenario.Repository.Repository}:{tag}");
        lost.Should().Be(0);
        foreach (var log in logs) log.ToString().Should().NotContain(CleanupScenario.Token);
        Ledger.Notes.Enqueue($"Concurrency: two cleanups at once deleted the {scenario.Orphans.Count} orphans between them, lost {lost} " +
            $"of {scenario.ProtectedUntagged.Count + 1} protected untagged versions, and every tag still resolves.");
    }
}
