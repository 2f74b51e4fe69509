using System.Text;
using MultiArch.Ghcr;
using MultiArch.Ghcr.Tests;
using MultiArch.Oci;
using MultiArch.Testing;

namespace MultiArch.Hardening.Tests;

/// <summary>
/// A cancelled job (SIGKILL, or SIGTERM like Actions' cancel) in the middle of ExportDigest's write, MergeManifest or
/// CleanupUntagged: what it leaves is never half-written, and running again finishes with the uninterrupted result.
/// </summary>
[Trait("Category", "Registry"), Collection(ReliabilityCollection.Name)]
public sealed class InterruptionTests
{
    static readonly Platform[] Platforms = [Platform.LinuxAmd64, Platform.LinuxArm64];

    [SkippableTheory]
    [InlineData("KILL")]
    [InlineData("TERM")]
    public async Task Merge_killed_mid_way_leaves_no_tag_on_a_partial_index_and_a_rerun_publishes_the_same_digest(string signal)
    {
        ServiceRequirement.Require(Service.Registry | Service.Skopeo);
        await using var registry = await RegistryProcess.StartAsync();
        // Every request through the proxy is slow (300 ms), so the merge is still pushing tags when the kill lands.
        await using var proxy = await FaultProxy.StartAsync(new Uri($"http://{registry.Host}"), faultRate: 0, seed: 1,
            kinds: [FaultKind.Slow]);
        using var client = new RegistryClient(proxy.Host);
        var digests = Directory.CreateTempSubdirectory("multiarch-kill-merge-").FullName;
        try
        {
            var records = new List<DigestRecord>();
            foreach (var platform in Platforms)
            {
                var image = await TestImages.PushImageAsync(client, "demo/app", platform, tag: $"1.4.0-{platform.Pair}", seed: 5);
                var record = new DigestRecord(ImageReference.Parse($"{proxy.Host}/demo/app"), image.Digest, platform,
                    $"1.4.0-{platform.Pair}", image.MediaType, image.Bytes.Length);
                DigestDirectory.Write(digests, record);
                records.Add(record);
            }
            var request = new MergeRequest(ImageReference.Create(proxy.Host, "demo/app"), Platforms, records)
                { Tags = TagRules.For("1.4.0") };
            var expected = (await new ManifestMerger(client).MergeAsync(request with { DryRun = true })).Digest;
            proxy.FaultRate = 1;

            using (var child = await ChildStep.StartAsync(null, "merge", proxy.Host, "demo/app", "1.4.0", digests))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(1500));
                (await child.SignalAsync(signal)).Should().BeTrue($"the kill must land mid-merge:\n{child.Output}");
            }
            proxy.FaultRate = 0;

            var tagged = 0;
            foreach (var tag in request.Tags)
            {
                if (await client.HeadManifestAsync("demo/app", tag) is null) continue;
                tagged++;
                await AssertCompleteIndexAsync(registry, tag);
            }
            tagged.Should().BeLessThan(request.Tags.Count, "the kill landed before every tag was pushed");
            var rerun = await new ManifestMerger(client).MergeAsync(request);
            rerun.Digest.Should().Be(expected);
            foreach (var tag in request.Tags) (await AssertCompleteIndexAsync(registry, tag)).Should().Be(expected);
            Ledger.Notes.Enqueue($"Interruption: SIG{signal} during MergeManifest left {tagged} of {request.Tags.Count} tags, each on " +
                "the complete index; the re-run published the uninterrupted digest.");
        }
        finally
        {
            Directory.Delete(digests, recursive: true);
        }
    }

    [SkippableFact]
    public async Task Export_killed_while_writing_records_leaves_only_complete_records_or_hidden_temp_files()
    {
        var digests = Directory.CreateTempSubdirectory("multiarch-kill-export-").FullName;
        try
        {
            var hidden = 0;
            foreach (var delay in new[] { 150, 400, 900 })
            {
                using var child = await ChildStep.StartAsync(null, "write-records", digests);
                // Past the first round (one record per platform), then a kill at a different moment each time.
                for (var wait = 0; wait < 200 && Directory.GetFiles(digests, "*.json").Length < 3; wait++) await Task.Delay(50);
                await Task.Delay(delay);
                (await child.SignalAsync("KILL")).Should().BeTrue();

                var records = DigestDirectory.Read(digests); // throws on anything half-written
                records.Should().HaveCount(3).And.OnlyContain(r => r.Tag == $"1.0.0-{r.Platform!.Pair}");
                var files = Directory.GetFiles(digests).Select(Path.GetFileName).ToList();
                files.Where(f => !f!.StartsWith('.')).Should().BeEquivalentTo(["amd64.json", "arm64.json", "arm-v7.json"]);
                hidden = files.Count(f => f!.StartsWith('.'));
            }
            Ledger.Notes.Enqueue("Interruption: ExportDigest's record write SIGKILLed 3 times mid-loop: every visible record was " +
                $"complete (readers skip {hidden} hidden temp file(s)).");
        }
        finally
        {
            Directory.Delete(digests, recursive: true);
        }
    }

    [SkippableFact]
    public async Task Cleanup_killed_mid_way_then_run_again_deletes_every_orphan_and_nothing_protected()
    {
        await using var scenario = await CleanupScenario.StartAsync();
        var environment = new Dictionary<string, string> { ["GITHUB_TOKEN"] = CleanupScenario.Token };
        // The kill lands at a point the test sees, not after a guess at how long the cleanup takes: the fake does the
        // second deletion, then holds its answer until the child is dead (a delete done that the client never heard of).
        const int killAt = 2;
        var delete = scenario.Api.OnDeleted!;
        var deletions = 0;
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        scenario.Api.OnDeleted = async (repository, digest) =>
        {
            await delete(repository, digest);
            if (Interlocked.Increment(ref deletions) != killAt) return;
            holding.TrySetResult();
            await release.Task;
        };

        string output;
        try
        {
            using var child = await ChildStep.StartAsync(environment, "cleanup", scenario.Image, scenario.Api.BaseAddress.ToString());
            var reached = await Task.WhenAny(holding.Task, Task.Delay(TimeSpan.FromSeconds(60))) == holding.Task;
            reached.Should().BeTrue($"the cleanup should reach deletion {killAt} of {scenario.Orphans.Count}:\n{child.Output}");
            (await child.SignalAsync("KILL")).Should().BeTrue($"the kill must land mid-cleanup:\n{child.Output}");
            output = child.Output;
        }
        finally
        {
            release.TrySetResult();
        }
        scenario.Api.OnDeleted = delete;
        var deletedBeforeKill = scenario.Api.DeleteRequests;
        var log = new StringWriter();
        var report = await UntaggedCleaner.RunAsync(scenario.Request(log));

        report.Outcome.Should().Be(CleanupOutcome.Completed, log.ToString());
        foreach (var orphan in scenario.Orphans) (await scenario.Repository.ExistsAsync(orphan)).Should().BeFalse(orphan);
        var lost = 0;
        foreach (var kept in scenario.ProtectedUntagged.Append(scenario.Fresh))
            if (!await scenario.Repository.ExistsAsync(kept)) lost++;
        lost.Should().Be(0);
        foreach (var tag in scenario.Tags)
            await Skopeo.InspectRawAsync($"{scenario.Registry.Host}/{scenario.Repository.Repository}:{tag}");
        output.Should().NotContain(CleanupScenario.Token);
        log.ToString().Should().NotContain(CleanupScenario.Token);
        Ledger.Notes.Enqueue($"Interruption: CleanupUntagged SIGKILLed after {deletedBeforeKill} of {scenario.Orphans.Count} deletions; " +
            $"the re-run deleted the rest, lost {lost} protected versions, every tag resolves.");
    }

    // skopeo's view of a tag: an index with every platform, each child readable by digest. Returns the index digest.
    static async Task<Digest> AssertCompleteIndexAsync(RegistryProcess registry, string tag)
    {
        var raw = await Skopeo.InspectRawAsync($"{registry.Host}/demo/app:{tag}");
        var index = ImageIndex.Parse(Encoding.UTF8.GetBytes(raw));
        index.Manifests.Select(m => m.Platform).Should().BeEquivalentTo(Platforms, $"tag {tag}");
        foreach (var child in index.Manifests) await Skopeo.InspectRawAsync($"{registry.Host}/demo/app@{child.Digest}");
        return Digest.Compute(Encoding.UTF8.GetBytes(raw));
    }
}

/// <summary>The engine itself under a real SIGTERM (what Actions sends on cancel): the summary says Aborted, exit 130.</summary>
[Trait("Category", "Unit"), Collection(ReliabilityCollection.Name)]
public sealed class EngineSignalTests
{
    [Fact]
    public async Task Sigterm_to_a_running_build_ends_it_aborted_with_exit_code_130()
    {
        using var child = await ChildStep.StartAsync(null, "engine", "Wait");
        (await child.SignalAsync("TERM")).Should().BeTrue();

        child.ExitCode.Should().Be(130, child.Output);
        child.Output.Should().Contain("Aborted");
        Ledger.Notes.Enqueue("Interruption: a real SIGTERM to the engine mid-target ended the build with exit code 130 and 'Aborted' in " +
            "the summary.");
    }
}
