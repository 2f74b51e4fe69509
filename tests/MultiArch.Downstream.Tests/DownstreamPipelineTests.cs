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
            new Dictionary<string, string> { ["BASE_IMAGE"] = BaseImage });

        exit.Should().Be(0, output);
        (await PlatformsOf($"{registry.Host}/acme/api:{version}")).Should().BeEquivalentTo(["linux/amd64", "linux/arm64", "linux/arm/v7"]);
        (await PlatformsOf($"{registry.Host}/acme/worker:{version}")).Should().BeEquivalentTo(["linux/amd64", "linux/arm64"]);
        foreach (var (image, platform, machine) in new[]
                 {
                     ("api", "linux/amd64", "x86_64"), ("api", "linux/arm64", "aarch64"), ("api", "linux/arm/v7", "armv7l"),
                     ("worker", "linux/amd64", "x86_64"), ("worker", "linux/arm64", "aarch64"),
                 })
        {
            output.Should().MatchRegex($@"(?m)^SmokeTest\s+{image} {platform}\s+Succeeded", "the summary table has a row per leg")
                .And.Contain($"SmokeTest {image} {platform}: {machine}", "the leg ran its own image and read its architecture");
        }
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
