using MultiArch.Testing;

namespace MultiArch.Oci.Tests;

/// <summary>
/// Merging many digest records reads them a few at a time: every read is a connection, and 10,000 at once ran the
/// process out of file descriptors (issue 13). The bound is <see cref="ManifestMerger.MaxConcurrentReads"/>.
/// </summary>
[Trait("Category", "Registry")]
public sealed class MergeConcurrencyTests
{
    /// <summary>Counts requests in flight at the wire and remembers the most seen at once.</summary>
    private sealed class InFlightCounter() : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _now;
        public int Peak;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _now);
            for (var peak = Peak; now > peak; peak = Peak) Interlocked.CompareExchange(ref Peak, now, peak);
            try { return await base.SendAsync(request, cancellationToken); }
            finally { Interlocked.Decrement(ref _now); }
        }
    }

    [SkippableFact]
    public async Task Merging_300_records_keeps_at_most_8_reads_in_flight()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var registry = await RegistryProcess.StartAsync();
        using var wire = new InFlightCounter();
        using var client = registry.CreateClient(new RegistryClientOptions { InnerHandler = wire });
        var image = await TestImages.PushImageAsync(client, "demo/app", Platform.LinuxAmd64, tag: "1.2.3-amd64", seed: 8);
        // The same leg's record downloaded 300 times (one artifact folder each): harmless duplicates, 300 reads.
        var sources = Enumerable.Range(0, 300)
            .Select(i => new DigestRecord(ImageReference.Parse($"{registry.Host}/demo/app"), image.Digest, Platform.LinuxAmd64,
                "1.2.3-amd64") { Source = $"leg-{i}/linux-amd64.json" })
            .ToList();
        wire.Peak = 0;

        var result = await new ManifestMerger(client).MergeAsync(MergeFixture.Request(client, "demo/app", sources, [Platform.LinuxAmd64]));

        result.Platforms.Should().ContainSingle().Which.Digest.Should().Be(image.Digest);
        wire.Peak.Should().BeGreaterThan(1, "the reads still overlap").And.BeLessThanOrEqualTo(ManifestMerger.MaxConcurrentReads);
    }
}
