using System.Text;
using System.Text.Json;
using MultiArch.Oci;
using MultiArch.Testing;

namespace MultiArch.Components.Tests;

// The acceptance command, as a process from the repository root: `./build.sh MergeManifest` with only BASE_IMAGE in
// the environment (plus this test's registry, version and digests folder), then what it published, read back
// with skopeo, the registry API and a real `docker run` under QEMU.
[Trait("Category", "Docker")]
public sealed class PublishedImageTests(PublishedImage image) : IClassFixture<PublishedImage>
{
    const Service Needs = Service.Docker | Service.Qemu | Service.Registry | Service.Skopeo;

    [SkippableFact]
    public async Task Build_sh_MergeManifest_publishes_an_index_of_exactly_linux_amd64_and_linux_arm64()
    {
        ServiceRequirement.Require(Needs);
        var published = await image.GetAsync();

        published.Index.Manifests.Select(m => m.Platform?.ToString()).Should().BeEquivalentTo(["linux/amd64", "linux/arm64"]);
        published.Run.Output.Should().Contain(
            $"{published.Sandbox.Reference(published.Sandbox.Version)}@{published.IndexDigest}  (linux/amd64, linux/arm64)",
            "the run ends by printing the published reference");
    }

    [SkippableFact]
    public async Task Per_arch_tags_exist_and_point_at_the_index_children()
    {
        ServiceRequirement.Require(Needs);
        var published = await image.GetAsync();

        foreach (var child in published.Index.Manifests)
        {
            var tag = $"{published.Sandbox.Version}-{child.Platform!.Pair}";
            var raw = await Skopeo.InspectRawAsync(published.Sandbox.Reference(tag));
            Digest.Compute(Encoding.UTF8.GetBytes(raw)).Should().Be(child.Digest, $"{tag} is the index's {child.Platform} child");
        }
    }

    [SkippableFact]
    public async Task Both_platform_images_carry_the_org_opencontainers_image_labels()
    {
        ServiceRequirement.Require(Needs);
        var published = await image.GetAsync();
        using var client = published.Sandbox.Registry.CreateClient();

        foreach (var child in published.Index.Manifests)
        {
            var manifest = await client.GetManifestAsync(PipelineSandbox.RepositoryPath, child.Digest.ToString());
            var config = await client.GetBlobAsync(PipelineSandbox.RepositoryPath, manifest.AsImage().Config.Digest);
            var labels = JsonDocument.Parse(config).RootElement.GetProperty("config").GetProperty("Labels")
                .EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());

            labels.Should().Contain("org.opencontainers.image.source", "https://github.com/multiarch-tests/hello")
                .And.Contain("org.opencontainers.image.version", published.Sandbox.Version)
                .And.Contain("org.opencontainers.image.title", "hello")
                .And.Contain("org.opencontainers.image.licenses", "MIT")
                .And.ContainKeys(
                    "org.opencontainers.image.revision", "org.opencontainers.image.created", "org.opencontainers.image.description");
            labels["org.opencontainers.image.revision"].Should().MatchRegex("^[0-9a-f]{40}$");
        }
    }

    [SkippableFact]
    public async Task Docker_run_of_the_index_for_linux_arm64_prints_aarch64()
    {
        ServiceRequirement.Require(Needs);
        var published = await image.GetAsync();
        var byDigest = $"{published.Sandbox.Registry.Host}/{PipelineSandbox.RepositoryPath}@{published.IndexDigest}";

        var output = await LocalImages.PullAndRunAsync(byDigest, Platform.LinuxArm64);

        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(2)
            .And.HaveElementAt(0, "Hello from the MultiArch example (hello-base built on aarch64)")
            .And.HaveElementAt(1, "aarch64");
    }
}
