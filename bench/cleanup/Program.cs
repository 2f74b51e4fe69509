// CleanupUntagged on a package of 5,000 versions: 200 tagged two-platform indexes with attestations (1,000 versions),
// 3,000 referrers (signatures whose subject is a tagged index or a child), 1,000 orphans. The GitHub API fake adds
// 20 ms to every request; pacing is off. Runs the cleaner with its default concurrency and then one request after
// another, several times each, and writes bench/results/cleanup.md.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using MultiArch.Ghcr;
using MultiArch.Ghcr.Tests;
using MultiArch.Oci;
using MultiArch.Testing;

const string Token = "ghp_BENCH0000000000000000000000000000";
const string Owner = "acme", Package = "server";
const int Indexes = 200, ReferrersPerIndex = 15, Orphans = 1000;
var Runs = int.TryParse(Environment.GetEnvironmentVariable("BENCH_RUNS"), out var r) ? r : 3;
var latency = TimeSpan.FromMilliseconds(20);
var output = args.Length > 0 ? args[0] : Path.Combine(FindRepositoryRoot(), "bench", "results", "cleanup.md");

await using var registry = await RegistryProcess.StartAsync();
using var client = registry.CreateClient();
var repository = $"{Owner}/{Package}";
var setup = Stopwatch.StartNew();
var versions = await PushPackageAsync(client, repository);
Console.WriteLine($"pushed {versions.Count} manifests in {setup.Elapsed.TotalSeconds:0.0} s");

var results = new List<(string Mode, Measurement M)>();
for (var run = 1; run <= Runs; run++)
{
    results.Add(("concurrent (defaults)", await MeasureAsync(new CleanupRequest { Image = "", GitHubToken = Token })));
    results.Add(("sequential", await MeasureAsync(
        new CleanupRequest { Image = "", GitHubToken = Token, RegistryConcurrency = 1, ApiConcurrency = 1 })));
}
// ghcr.io is across a network: the same comparison with 20 ms added to every registry request as well.
using (var slowRegistry = new DelayingHandler(latency))
{
    results.Add(("concurrent, registry +20 ms", await MeasureAsync(
        new CleanupRequest { Image = "", GitHubToken = Token, RegistryTransport = slowRegistry })));
    results.Add(("sequential, registry +20 ms", await MeasureAsync(new CleanupRequest
    {
        Image = "", GitHubToken = Token, RegistryConcurrency = 1, ApiConcurrency = 1, RegistryTransport = slowRegistry,
    })));
}
await File.WriteAllTextAsync(output, Render(results, versions.Count));
Console.WriteLine(await File.ReadAllTextAsync(output));
return results.All(r => r.M.ProtectedDeleted == 0 && r.M.Deleted == Orphans) ? 0 : 1;

async Task<Measurement> MeasureAsync(CleanupRequest settings)
{
    // A fresh fake per run: same versions, same ids order; the registry keeps its manifests (the fake does not
    // forward deletions), so every run does the same work.
    await using var api = await FakeGitHubPackagesApi.StartAsync(Token);
    api.AddOwner(Owner, organization: true);
    var ids = new Dictionary<long, Version>();
    foreach (var v in versions) ids[api.AddVersion(Owner, Package, v.Digest, v.CreatedAt, v.Tags).Id] = v;
    api.Latency = latency;
    var clock = Stopwatch.StartNew();
    var report = await UntaggedCleaner.RunAsync(settings with
    {
        Image = $"{registry.Host}/{repository}",
        GitHubApiAddress = api.BaseAddress,
        RegistryUserName = null,
        DryRun = false,
        MaxDeletionsPerMinute = 0,
        Log = new PhaseLog(Console.Out, Stopwatch.StartNew()),
    });
    clock.Stop();
    var deleted = report.Deleted.Select(d => ids[d.Id]).ToList();
    var m = new Measurement(api.ListRequests, report.ManifestRequests, api.DeleteRequests, deleted.Count,
        deleted.Count(v => v.Kind != "orphan"), clock.Elapsed, LoadAverage());
    Console.WriteLine(
        $"{(settings.ApiConcurrency == 1 ? "sequential" : "concurrent")}"
        + $"{(settings.RegistryTransport is null ? "" : ", registry +20 ms")}: {m}");
    return m;
}

async Task<List<Version>> PushPackageAsync(RegistryClient registryClient, string repo)
{
    var created = DateTimeOffset.UtcNow.AddDays(-30);
    var list = new List<Version>();
    // Referrers and orphans share one config and one layer and differ by an annotation, so setup stays quick.
    var layer = await registryClient.PushBlobAsync(repo, "bench layer"u8.ToArray(), MediaTypes.OciLayer);
    var config = await registryClient.PushBlobAsync(repo, ImageConfig.Create(Platform.LinuxAmd64, [layer.Digest]), MediaTypes.OciConfig);
    async Task<Descriptor> PushArtifactAsync(string name, Descriptor? subject)
    {
        var manifest = new ImageManifest(MediaTypes.OciManifest, config, [layer])
        {
            Subject = subject,
            Annotations = new Dictionary<string, string> { ["org.example.bench"] = name },
        };
        var document = ManifestDocument.FromBytes(manifest.ToJson(), MediaTypes.OciManifest);
        await registryClient.PutManifestAsync(repo, document.Digest.ToString(), document);
        return document.ToDescriptor();
    }

    // TestImages' attestations all share the config "{}": upload it once before the concurrent pushes, because
    // distribution 2.8 can fail a manifest PUT (DIGEST_INVALID) while the same blob is being uploaded concurrently.
    await registryClient.PushBlobAsync(repo, "{}"u8.ToArray(), MediaTypes.OciConfig);
    var gate = new SemaphoreSlim(8);
    var tasks = Enumerable.Range(0, Indexes).Select(async i =>
    {
        await gate.WaitAsync();
        try
        {
            var index = await TestImages.PushIndexWithAttestationsAsync(
                registryClient, repo, [Platform.LinuxAmd64, Platform.LinuxArm64], $"1.{i}", seed: i + 1);
            var found = new List<Version> { new(index.Digest.ToString(), created.AddMinutes(i), [$"1.{i}"], "tagged") };
            var children = index.AsIndex().Manifests;
            found.AddRange(children.Select(c => new Version(c.Digest.ToString(), created.AddMinutes(i), [], "child")));
            for (var r = 0; r < ReferrersPerIndex; r++)
            {
                var subject = r % 2 == 0 ? index.ToDescriptor() : children[r % children.Count];
                var referrer = await PushArtifactAsync($"referrer {i}.{r}", subject);
                found.Add(new Version(referrer.Digest.ToString(), created.AddMinutes(i), [], "referrer"));
            }
            return found;
        }
        finally { gate.Release(); }
    }).Concat(Enumerable.Range(0, Orphans / 10).Select(async batch =>
    {
        await gate.WaitAsync();
        try
        {
            var found = new List<Version>();
            for (var o = batch * 10; o < batch * 10 + 10; o++)
                found.Add(new Version(
                    (await PushArtifactAsync($"orphan {o}", null)).Digest.ToString(), created.AddMinutes(o % 300), [], "orphan"));
            return found;
        }
        finally { gate.Release(); }
    }));
    foreach (var found in await Task.WhenAll(tasks)) list.AddRange(found);
    return list;
}

string Render(List<(string Mode, Measurement M)> all, int versionCount)
{
    var text = new StringBuilder()
        .AppendLine("# CleanupUntagged benchmark")
        .AppendLine()
        .AppendLine(
            $"Package of {versionCount:N0} versions: {Indexes} tagged two-platform indexes with attestations ({Indexes * 5:N0} versions), "
            + $"{Indexes * ReferrersPerIndex:N0} referrers whose subject is a tagged index or one of its children, {Orphans:N0} orphans. "
            + $"Manifests in a real docker-registry on 127.0.0.1; the GitHub API fake adds {latency.TotalMilliseconds:0} ms "
            + "to every request; pacing off. "
            + $"{Runs} runs of each mode, alternating; a fresh fake (same versions) per run.")
        .AppendLine()
        .AppendLine(
            $"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC. "
            + "Command: `dotnet run -c Release --project bench/cleanup`.")
        .AppendLine()
        .AppendLine(
            "Phases of one run are printed on the console (listing, kept manifests, candidate reads); "
            + "deletions follow the candidate reads.")
        .AppendLine()
        .AppendLine(
            "| Mode | Run | List requests | Manifest requests | Delete requests | Deleted | Protected deleted | Wall time (s) "
            + "| Load avg (1 min) |")
        .AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    foreach (var group in all.GroupBy(r => r.Mode))
    {
        var run = 0;
        foreach (var (mode, m) in group)
            text.AppendLine(
                CultureInfo.InvariantCulture,
                $"| {mode} | {++run} | {m.ListRequests} | {m.ManifestRequests} | {m.DeleteRequests} | {m.Deleted} | {m.ProtectedDeleted} "
                + $"| {m.Wall.TotalSeconds:0.00} | {m.Load} |");
    }
    var concurrent = Median(all.Where(r => r.Mode == "concurrent (defaults)").Select(r => r.M.Wall.TotalSeconds));
    var sequential = Median(all.Where(r => r.Mode == "sequential").Select(r => r.M.Wall.TotalSeconds));
    var slowRatio = all.Single(r => r.Mode == "concurrent, registry +20 ms").M.Wall
        / all.Single(r => r.Mode == "sequential, registry +20 ms").M.Wall;
    var maxList = all.Max(r => r.M.ListRequests);
    var protectedDeleted = all.Sum(r => r.M.ProtectedDeleted);
    text.AppendLine()
        .AppendLine(
            CultureInfo.InvariantCulture,
            $"Median wall time: concurrent {concurrent:0.00} s, sequential {sequential:0.00} s, ratio {concurrent / sequential:0.00}. "
            + $"With 20 ms on every registry request too (as across a network to ghcr.io): ratio {slowRatio:0.00}.")
        .AppendLine()
        .AppendLine("Where the time goes: the 4,000 manifest reads of the untagged candidates (each one read to rule out a `subject`) " +
                    "are CPU-bound in the local registry. On this 2-core machine, shared with other builds (see the load column), " +
                    "concurrency speeds them up only when CPU is free. Across a network, as with ghcr.io, they are latency-bound, and " +
                    "concurrency divides their time by about the concurrency (the +20 ms rows).")
        .AppendLine()
        .AppendLine("| Goal | Target | Measured | Met |")
        .AppendLine("| --- | --- | --- | --- |")
        .AppendLine(CultureInfo.InvariantCulture, $"| List requests | at most 50 | {maxList} | {(maxList <= 50 ? "yes" : "no")} |")
        .AppendLine(
            CultureInfo.InvariantCulture,
            $"| Wall time vs sequential | under 0.25 | {concurrent / sequential:0.00} "
            + $"| {(concurrent / sequential < 0.25 ? "yes" : "no")} |")
        .AppendLine(
            CultureInfo.InvariantCulture,
            $"| Protected versions deleted | 0 | {protectedDeleted} | {(protectedDeleted == 0 ? "yes" : "no")} |");
    return text.ToString();
}

// The machine is shared with other builds; the 1-minute load average says how much CPU the registry could get.
static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "MultiArch.sln"))) return dir.FullName;
    return Directory.GetCurrentDirectory();
}

/// <summary>One listed version of the benchmark package and what it is.</summary>
sealed record Version(string Digest, DateTimeOffset CreatedAt, string[] Tags, string Kind);

/// <summary>What one run cost.</summary>
sealed record Measurement(
    int ListRequests, int ManifestRequests, int DeleteRequests, int Deleted, int ProtectedDeleted, TimeSpan Wall, string Load);

/// <summary>Prints the cleaner's phase lines with the time since the run started (per-deletion lines are dropped).</summary>
sealed class PhaseLog(TextWriter inner, Stopwatch clock) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;
    public override void WriteLine(string? value)
    {
        if (value is not null && !value.StartsWith("deleted ", StringComparison.Ordinal) && !value.StartsWith('|'))
            inner.WriteLine($"  {clock.Elapsed.TotalSeconds,6:0.00} s  {value}");
    }
}

/// <summary>Adds a fixed delay before every registry request, as a network round trip would.</summary>
sealed class DelayingHandler(TimeSpan delay) : DelegatingHandler(new SocketsHttpHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await Task.Delay(delay, cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }
}
