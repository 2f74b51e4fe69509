// Mirrors one two-platform index (3 layers per image) to another repository of the same registry (mount), to a
// second registry with htpasswd auth (copy), and then again to both (nothing left to do). What each mirror uploaded
// is read from the destination's request log (a FaultProxy at fault rate 0 in front of each registry), not from the
// client's own counters. Prints a markdown table.
using System.Globalization;
using MultiArch.Oci;
using MultiArch.Oci.Mirroring;
using MultiArch.Testing;

const long layerBytesPerImage = 24L * 1024 * 1024;
Platform[] platforms = [Platform.LinuxAmd64, Platform.LinuxArm64];
string[] tags = ["1.0.0", "latest"];

await using var first = await RegistryProcess.StartAsync();
await using var second = await RegistryProcess.StartAsync(RegistryMode.Htpasswd);
await using var firstProxy = await FaultProxy.StartAsync(new Uri($"http://{first.Host}"), faultRate: 0);
await using var secondProxy = await FaultProxy.StartAsync(new Uri($"http://{second.Host}"), faultRate: 0);
using var source = new RegistryClient(firstProxy.Host);
using var other = new RegistryClient(secondProxy.Host, new RegistryClientOptions { Credentials = second.Credentials });

var images = new List<ManifestDocument>();
foreach (var platform in platforms)
    images.Add(await TestImages.PushImageAsync(source, "acme/app", platform, layerBytes: layerBytesPerImage, layers: 3));
var index = ManifestDocument.FromBytes(
    new ImageIndex(MediaTypes.OciIndex, images.Select((m, i) => m.ToDescriptor(platforms[i])).ToList()).ToJson(),
    MediaTypes.OciIndex);
await source.PutManifestAsync("acme/app", index.Digest.ToString(), index);
await source.PutManifestAsync("acme/app", tags[0], index);
var blobs = images.SelectMany(i => i.AsImage().Layers.Prepend(i.AsImage().Config)).ToList();
var manifestBytes = images.Sum(i => (long)i.Bytes.Length) + index.Bytes.Length;

var mirror = new RegistryMirror(source, "acme/app");
var rows = new List<string>();
async Task MeasureAsync(string scenario, FaultProxy proxy, RegistryClient client, string repository)
{
    proxy.ClearLog();
    var result = (await mirror.MirrorAsync(index.Digest, [new MirrorTarget(client, repository)], tags)).Single();
    if (!result.Succeeded) throw new InvalidOperationException($"{scenario}: {result}");
    var log = proxy.RequestLog;
    var blobUploads = log.Where(r => r.PathAndQuery.Contains("/blobs/")).ToList();
    var blobBytes = blobUploads.Sum(r => r.BodyBytes);
    var manifestUploads = log.Where(r => r.Method == "PUT" && r.PathAndQuery.Contains("/manifests/")).Sum(r => r.BodyBytes);
    var putsPerBlob = blobs
        .Select(b => blobUploads.Count(r => r.Method == "PUT" && r.PathAndQuery.Contains(b.Digest.Hex)))
        .Distinct()
        .ToList();
    var uploadedWhole = blobs.Sum(b => log.Where(r => r.Method == "PUT" && r.PathAndQuery.Contains(b.Digest.Hex)).Sum(r => r.BodyBytes));
    rows.Add($"| {scenario} | {result.BlobsMounted} / {result.BlobsCopied} / {result.BlobsSkipped} | {Bytes(blobBytes)} | " +
             $"{string.Join(", ", putsPerBlob)} | {Bytes(manifestUploads)} | {Bytes(blobBytes + manifestUploads)} | {log.Count} |");
    if (uploadedWhole != blobBytes) throw new InvalidOperationException($"{scenario}: blob bytes outside the blob PUTs");
}

// The source graph is read once per MirrorAsync through the first proxy, so the same-registry rows' request counts include those reads.
await MeasureAsync("same registry, other repository (mount)", firstProxy, source, "mirror/app");
await MeasureAsync("other registry, htpasswd (copy)", secondProxy, other, "acme/app");
await MeasureAsync("same registry, second run", firstProxy, source, "mirror/app");
await MeasureAsync("other registry, second run", secondProxy, other, "acme/app");

Console.WriteLine($"Index: {platforms.Length} images, {blobs.Count} blobs ({Bytes(blobs.Sum(b => b.Size))} of layers and configs), " +
                  $"{Bytes(manifestBytes)} of manifests (images and index); tags {string.Join(", ", tags)}.");
Console.WriteLine();
Console.WriteLine(
    "| mirror | blobs mounted / copied / skipped | blob bytes uploaded | blob PUTs per blob | manifest bytes uploaded "
    + "| total request body bytes | requests at the destination |");
Console.WriteLine("|---|---|---|---|---|---|---|");
foreach (var row in rows) Console.WriteLine(row);

static string Bytes(long n) => n < 1024 * 1024
    ? n.ToString("N0", CultureInfo.InvariantCulture) + " B"
    : $"{n.ToString("N0", CultureInfo.InvariantCulture)} B ({(n / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture)} MiB)";
