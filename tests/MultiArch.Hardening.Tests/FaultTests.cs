using System.Diagnostics;
using System.Text;
using MultiArch.Ghcr;
using MultiArch.Ghcr.Tests;
using MultiArch.Oci;
using MultiArch.Testing;

namespace MultiArch.Hardening.Tests;

/// <summary>
/// 30 % injected faults (500/502/503, 429 + Retry-After, resets mid-body, slow) in front of a real registry with
/// credentials and in front of the GitHub API fake: push, merge and cleanup still finish with exactly the result of a
/// clean run, verified by skopeo, within bounded retries and time.
/// </summary>
[Trait("Category", "Registry"), Collection(ReliabilityCollection.Name)]
public sealed class FaultTests
{
    static readonly Platform[] Platforms = [Platform.LinuxAmd64, Platform.LinuxArm64];

    [SkippableFact]
    public async Task Push_and_merge_through_30_percent_faults_publish_the_clean_runs_index_and_lose_nothing()
    {
        ServiceRequirement.Require(Service.Registry | Service.Skopeo);
        var expected = await PushAndMergeAsync(faultRate: 0, seed: 1);
        var faulty = await PushAndMergeAsync(faultRate: 0.3, seed: 2);

        faulty.Index.Should().Be(expected.Index, "faults must not change a single byte of what is published");
        faulty.Children.Should().Equal(expected.Children);
        faulty.Injected.Should().BeGreaterThan(0);
        faulty.Retries.Should().BeGreaterThanOrEqualTo(1).And.BeLessThanOrEqualTo(faulty.Injected + 2,
            "a retry is spent on a fault, not on a healthy answer");
        faulty.Duration.Should().BeLessThan(TimeSpan.FromSeconds(60), "retries are bounded by the policy");
    }

    [SkippableFact]
    public async Task Cleanup_through_30_percent_faults_on_the_api_and_the_registry_deletes_only_orphans()
    {
        ServiceRequirement.Require(Service.Registry | Service.Skopeo);
        await using var scenario = await CleanupScenario.StartAsync();
        await using var apiProxy = await FaultProxy.StartAsync(scenario.Api.BaseAddress, faultRate: 0.3, seed: 5,
            kinds: [FaultKind.InternalServerError, FaultKind.BadGateway, FaultKind.ServiceUnavailable, FaultKind.TooManyRequests,
                FaultKind.Slow]);
        await using var registryProxy = await FaultProxy.StartAsync(new Uri($"http://{scenario.Registry.Host}"), faultRate: 0.3, seed: 6);
        var log = new StringWriter();
        var clock = Stopwatch.StartNew();

        var report = await UntaggedCleaner.RunAsync(scenario.Request(log) with
        {
            Image = $"{registryProxy.Host}/{CleanupScenario.Owner}/{scenario.Package}",
            GitHubApiAddress = new Uri($"http://{apiProxy.Host}{scenario.Api.BaseAddress.AbsolutePath}"),
        });
        clock.Stop();

        report.Outcome.Should().Be(CleanupOutcome.Completed, log.ToString());
        report.Deleted.Select(d => d.Digest).Should().BeEquivalentTo(scenario.Orphans);
        var lost = 0;
        foreach (var kept in scenario.ProtectedUntagged.Append(scenario.Fresh))
            if (!await scenario.Repository.ExistsAsync(kept)) lost++;
        foreach (var tag in scenario.Tags)
            await Skopeo.InspectRawAsync($"{scenario.Registry.Host}/{scenario.Repository.Repository}:{tag}");
        lost.Should().Be(0);
        (apiProxy.InjectedTotal + registryProxy.InjectedTotal).Should().BeGreaterThan(0);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(90));
        log.ToString().Should().NotContain(CleanupScenario.Token);
        report.ToJson().Should().NotContain(CleanupScenario.Token);
        Ledger.Faults.Enqueue(new FaultFigure("cleanup (API fake + registry)", $"API: {apiProxy}; registry: {registryProxy}",
            apiProxy.Requests + registryProxy.Requests, report.Deleted.Count, report.RateLimitRetries, lost, clock.Elapsed));
    }

    sealed record Outcome(string Index, IReadOnlyList<string> Children, int Injected, int Retries, TimeSpan Duration);

    // Pushes two small images and merges them through a proxy in front of a registry with a password, then reads the
    // tag back with skopeo straight from the registry (not through the proxy).
    static async Task<Outcome> PushAndMergeAsync(double faultRate, int seed)
    {
        await using var registry = await RegistryProcess.StartAsync(RegistryMode.Htpasswd);
        await using var proxy = await FaultProxy.StartAsync(new Uri($"http://{registry.Host}"), faultRate, seed);
        using var client = new RegistryClient(proxy.Host, new RegistryClientOptions { Credentials = registry.Credentials });
        var clock = Stopwatch.StartNew();
        var records = new List<DigestRecord>();
        foreach (var platform in Platforms)
        {
            var tag = $"1.0.0-{platform.Pair}";
            var image = await TestImages.PushImageAsync(client, "demo/app", platform, tag: tag, seed: 3);
            records.Add(new DigestRecord(ImageReference.Parse($"{proxy.Host}/demo/app"), image.Digest, platform, tag, image.MediaType,
                image.Bytes.Length));
        }
        var result = await new ManifestMerger(client).MergeAsync(
            new MergeRequest(ImageReference.Create(proxy.Host, "demo/app"), Platforms, records) { Tags = TagRules.For("1.0.0") });
        clock.Stop();

        var children = new List<string>();
        var lost = 0;
        foreach (var tag in TagRules.For("1.0.0"))
        {
            var raw = await Skopeo.InspectRawAsync($"{registry.Host}/demo/app:{tag}", registry.Credentials);
            Digest.Compute(Encoding.UTF8.GetBytes(raw)).Should().Be(result.Digest, $"tag {tag}");
        }
        foreach (var child in ImageIndex.Parse(result.IndexBytes.ToArray()).Manifests)
        {
            var raw = await Skopeo.InspectRawAsync($"{registry.Host}/demo/app@{child.Digest}", registry.Credentials);
            if (Digest.Compute(Encoding.UTF8.GetBytes(raw)) != child.Digest) lost++;
            var manifest = ImageManifest.Parse(Encoding.UTF8.GetBytes(raw));
            foreach (var layer in manifest.Layers.Append(manifest.Config))
            {
                using var direct = registry.CreateClient();
                var blob = await direct.GetBlobAsync("demo/app", layer.Digest);
                if (Digest.Compute(blob) != layer.Digest) lost++;
            }
            children.Add(child.Digest.ToString());
        }
        lost.Should().Be(0, "every blob must arrive whole");
        registry.Log.Should().NotContain(registry.Credentials!.Password);
        if (faultRate > 0)
            Ledger.Faults.Enqueue(new FaultFigure("push 2 images + merge (htpasswd registry)", proxy.ToString(), proxy.Requests,
                Platforms.Length + 1, (int)client.Traffic.Retries, lost, clock.Elapsed));
        return new Outcome(result.Digest.ToString(), children, proxy.InjectedTotal, (int)client.Traffic.Retries, clock.Elapsed);
    }
}
