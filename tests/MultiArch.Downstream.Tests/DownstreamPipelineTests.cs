using System.Text.Json;
using MultiArch.Testing;

namespace MultiArch.Downstream.Tests;

// The sample's whole pipeline, from packages, against a registry of its own: both images published, every leg smoke-tested.
[Trait("Category", "Docker")]
[Collection(DownstreamCollection.Name)]
public sealed class DownstreamPipelineTests(DownstreamSample sample)
{
    const Service Needs = Service.Docker | Service.Qemu | Service.Registry | Service.Skopeo;
    const string BaseImage = "127.0.0.1:5000/multiarch/busybox:1.35";

    [SkippableFact]
    public async Task The_sample_publishes_both_images_as_indexes_and_smoke_tests_every_leg()
    {
        ServiceRequirement.Require(Needs);
        await using var registry = await RegistryProcess.StartAsync();
        var version = "t" + Guid.NewGuid().ToString("N")[..10];

        var (exit, output) = await sample.RunAsync(["MergeManifest", "--registry", registry.Host, "--version", version],
            new Dictionary<string, string> { ["MULTIARCH_BASE_IMAGE"] = BaseImage });
        await RemoveLocalImagesAsync(registry.Host, version);

        exit.Should().Be(0, output);
        (await PlatformsOf($"{registry.Host}/acme/api:{version}")).Should().BeEquivalentTo(["linux/amd64", "linux/arm64", "linux/arm/v7"]);
        (await PlatformsOf($"{registry.Host}/acme/worker:{version}")).Should().BeEquivalentTo(["linux/amd64", "linux/arm64"]);
        foreach (var (image, platform, machine) in new[]
                 {
                     // armv7l: this machine runs arm/v7 under QEMU; a native arm64 runner would print armv8l or aarch64, still 32-bit.
                     ("api", "linux/amd64", "x86_64, 64-bit"), ("api", "linux/arm64", "aarch64, 64-bit"),
                         ("api", "linux/arm/v7", "armv7l, 32-bit"),
                     ("worker", "linux/amd64", "x86_64, 64-bit"), ("worker", "linux/arm64", "aarch64, 64-bit"),
                 })
        {
            output.Should().MatchRegex($@"(?m)^SmokeTest\s+{image} {platform}\s+Succeeded", "the summary table has a row per leg")
                .And.Contain($"SmokeTest {image} {platform}: {machine}", "the leg ran its own image and read its architecture");
        }

        // The BuildApp override: our labels are still there (same definition), plus the sample's label and build argument.
        using var client = registry.CreateClient();
        var manifest = await client.GetManifestAsync("acme/api", $"{version}-arm-v7");
        var config = await client.GetBlobAsync("acme/api", manifest.AsImage().Config.Digest);
        var configText = System.Text.Encoding.UTF8.GetString(config);
        var labels = JsonDocument.Parse(config).RootElement.GetProperty("config").GetProperty("Labels");
        labels.GetProperty("com.acme.team").GetString().Should().Be("platform");
        labels.GetProperty("org.opencontainers.image.version").GetString().Should().Be(version);
        configText.Should().Contain("APP_ENV=production", "the build argument reached the app stage's RUN step (image history)");
    }

    // The run leaves its per-arch images and base stages in the engine; remove this run's (unique version) only.
    static async Task RemoveLocalImagesAsync(string registryHost, string version)
    {
        var none = new Dictionary<string, string>();
        var list = await DownstreamSample.RunProcessAsync("/usr/bin/docker", ["images", "--format", "{{.Repository}}:{{.Tag}}"],
            Path.GetTempPath(), none);
        var ours = list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(image => image.StartsWith(registryHost + "/") || image.Contains($"-base:{version}-")).ToList();
        if (ours.Count > 0)
            await DownstreamSample.RunProcessAsync("/usr/bin/docker", ["rmi", "--force", .. ours], Path.GetTempPath(), none);
    }

    static async Task<string[]> PlatformsOf(string reference)
    {
        using var index = JsonDocument.Parse(await Skopeo.InspectRawAsync(reference));
        return index.RootElement.GetProperty("manifests").EnumerateArray()
            .Select(m => m.GetProperty("platform"))
            .Select(p => $"{p.GetProperty("os").GetString()}/{p.GetProperty("architecture").GetString()}"
                         + (p.TryGetProperty("variant", out var v) ? "/" + v.GetString() : ""))
            .ToArray();
    }
}
