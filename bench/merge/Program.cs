using System.Diagnostics;
using System.Text;
using MultiArch.Bench.Merge;
using MultiArch.Oci;
using MultiArch.Testing;

// Merge N per-platform images into one index: MultiArch's ManifestMerger vs `docker manifest create` + `push`.
// Both talk to the same real registry through the same counting proxy, so requests and bytes are measured alike.
var options = BenchOptions.Parse(args);
if (ServiceRequirement.Missing(Service.Registry) is { } noRegistry)
{
    Console.Error.WriteLine($"Cannot run the merge benchmark: {noRegistry}.");
    return 1;
}
var dockerMissing = DockerManifestTool.Missing();
Platform[] all =
[
    Platform.LinuxAmd64, Platform.LinuxArm64, Platform.LinuxArmV7, Platform.Parse("linux/arm/v6"),
    Platform.Parse("linux/ppc64le"), Platform.Parse("linux/s390x"), Platform.Parse("linux/riscv64"), Platform.Parse("linux/386"),
];
var measurements = new List<Measurement>();
const string repository = "bench/app";

foreach (var mib in options.LayerMiB)
{
    await using var registry = await RegistryProcess.StartAsync();
    using var direct = registry.CreateClient();
    Console.WriteLine($"Pushing {all.Length} images with {mib} MiB of layers each...");
    var sources = new List<DigestRecord>();
    foreach (var platform in all.Take(options.PlatformCounts.Max()))
    {
        // Docker media types so `docker manifest` (which predates OCI support in this CLI) reads the same sources.
        var image = await TestImages.PushImageAsync(direct, repository, platform, layerBytes: mib * 1024 * 1024,
            layers: 4, docker: true, chunkSize: 32 * 1024 * 1024);
        sources.Add(new DigestRecord(ImageReference.Create(registry.Host, repository), image.Digest, platform));
    }
    await using var meter = await FaultProxy.StartAsync(new Uri($"http://{registry.Host}"), faultRate: 0);
    var target = ImageReference.Create(meter.Host, repository);

    // One unmeasured merge first, so the figures show steady-state work and not .NET's first-call JIT cost.
    using (var warmUp = new RegistryClient(meter.Host))
    {
        var first = sources.Take(2).Select(s => s with { Repository = target }).ToList();
        var result = await new ManifestMerger(warmUp).MergeAsync(new MergeRequest(target, first.Select(s => s.Platform!).ToList(), first));
        await direct.DeleteManifestAsync(repository, result.Digest);
    }

    foreach (var n in options.PlatformCounts)
    {
        var chosen = sources.Take(n).Select(s => s with { Repository = target }).ToList();
        var request = new MergeRequest(target, chosen.Select(s => s.Platform!).ToList(), chosen) { Tags = [$"n{n}-ours"] };

        measurements.Add(await MeasureAsync("MultiArch ManifestMerger", n, mib, meter, async () =>
        {
            using var client = new RegistryClient(meter.Host); // fresh: connection and auth costs count
            var result = await new ManifestMerger(client).MergeAsync(request);
            return result.Digest.ToString();
        }, digest => direct.DeleteManifestAsync(repository, Digest.Parse(digest))));

        // The idempotent case: everything already in place, nothing pushed.
        using (var warm = new RegistryClient(meter.Host)) await new ManifestMerger(warm).MergeAsync(request);
        measurements.Add(await MeasureAsync("MultiArch ManifestMerger, re-run (nothing to push)", n, mib, meter, async () =>
        {
            using var client = new RegistryClient(meter.Host);
            return (await new ManifestMerger(client).MergeAsync(request)).Digest.ToString();
        }, _ => Task.CompletedTask));
        await Verify(registry, $"n{n}-ours", n);

        if (dockerMissing is null)
        {
            measurements.Add(await MeasureAsync("docker manifest create + push", n, mib, meter,
                () => DockerManifestTool.CreateAndPushAsync($"{target.Name}:n{n}-docker", chosen.Select(s => $"{target.Name}@{s.Digest}")),
                digest => direct.DeleteManifestAsync(repository, Digest.Parse(digest))));
            await DockerManifestTool.CreateAndPushAsync($"{target.Name}:n{n}-docker", chosen.Select(s => $"{target.Name}@{s.Digest}"));
            await Verify(registry, $"n{n}-docker", n);
        }
        else
        {
            measurements.Add(new Measurement(
                "docker manifest create + push", n, mib, 0, 0, 0, double.NaN, double.NaN, $"not run: {dockerMissing}"));
        }
    }
}

Directory.CreateDirectory(Path.GetDirectoryName(options.Output)!);
await File.WriteAllTextAsync(options.Output, ReportWriter.Render(measurements, options));
Console.WriteLine($"Wrote {options.Output}");
return 0;

async Task<Measurement> MeasureAsync(string tool, int n, long mib, FaultProxy meter, Func<Task<string>> run, Func<string, Task> reset)
{
    var times = new List<double>();
    (long Requests, long Sent, long Received) traffic = default;
    for (var i = 0; i < options.Runs; i++)
    {
        var (requests, sent, received) = (meter.Requests, meter.BytesFromClients, meter.BytesToClients);
        var watch = Stopwatch.StartNew();
        var digest = await run();
        times.Add(watch.Elapsed.TotalMilliseconds);
        traffic = (meter.Requests - requests, meter.BytesFromClients - sent, meter.BytesToClients - received);
        await reset(digest); // delete the index so the next run starts from the same state
    }
    times.Sort();
    Console.WriteLine(
        $"{tool,-52} N={n} {mib,4} MiB: {traffic.Requests,3} requests, {traffic.Sent,7} B sent, {traffic.Received,7} B received, "
        + $"median {times[times.Count / 2]:F0} ms");
    return new Measurement(tool, n, mib, traffic.Requests, traffic.Sent, traffic.Received, times[times.Count / 2], times[0]);
}

static async Task Verify(RegistryProcess registry, string tag, int n)
{
    if (ServiceRequirement.Missing(Service.Skopeo) is not null) return;
    var raw = await Skopeo.InspectRawAsync($"{registry.Host}/bench/app:{tag}");
    var count = ImageIndex.Parse(Encoding.UTF8.GetBytes(raw)).Manifests.Count;
    if (count != n) throw new InvalidOperationException($"{tag} has {count} platforms, expected {n}.");
}
