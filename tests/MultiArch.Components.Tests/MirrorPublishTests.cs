using System.Text;
using MultiArch.Build;
using MultiArch.Oci;
using MultiArch.Testing;

namespace MultiArch.Components.Tests;

// Issue 19 part 1 through the pipeline: MergeManifest --registries pushes the index to the first registry and mirrors
// it to the second (htpasswd, credentials from the run's Docker config), with the same digest under every tag.
[Trait("Category", "Registry")]
public sealed class MirrorPublishTests
{
    static readonly string[] Platforms = ["linux/amd64", "linux/arm64"];

    [SkippableFact]
    public async Task MergeManifest_publishes_the_same_index_digest_to_both_registries()
    {
        ServiceRequirement.Require(Service.Registry | Service.Htpasswd | Service.Skopeo);
        await using var sandbox = await PipelineSandbox.StartAsync();
        await using var mirror = await RegistryProcess.StartAsync(RegistryMode.Htpasswd);
        var records = await PushPerArchImagesAsync(sandbox);
        var environment = DockerConfig(sandbox, mirror.Host, mirror.Credentials!);

        var run = await sandbox.RunAsync(
            Merge(records, $"{sandbox.Registry.Host}/multiarch", $"{mirror.Host}/mirror"), environment);

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().MatchRegex($@"mirror {mirror.Host}/mirror/hello@sha256:[0-9a-f]{{64}}: ok, 4 blobs copied");
        run.Output.Should().NotContain(mirror.Credentials!.Password);
        foreach (var tag in new[] { "1.2.3", "latest" })
        {
            var first = await Skopeo.InspectRawAsync($"{sandbox.Registry.Host}/multiarch/hello:{tag}");
            var second = await Skopeo.InspectRawAsync($"{mirror.Host}/mirror/hello:{tag}", mirror.Credentials);
            Digest.Compute(Encoding.UTF8.GetBytes(second)).Should()
                .Be(Digest.Compute(Encoding.UTF8.GetBytes(first)), $"{tag} is one index in both registries");
            ImageIndex.Parse(Encoding.UTF8.GetBytes(second)).Manifests
                .Select(m => m.Platform!.ToString()).Should().BeEquivalentTo(Platforms);
        }
    }

    [SkippableFact]
    public async Task A_mirror_that_refuses_the_login_fails_the_merge_after_the_first_registry_published_and_keeps_no_tag()
    {
        ServiceRequirement.Require(Service.Registry | Service.Htpasswd);
        await using var sandbox = await PipelineSandbox.StartAsync();
        await using var mirror = await RegistryProcess.StartAsync(RegistryMode.Htpasswd);
        var records = await PushPerArchImagesAsync(sandbox);
        var environment = DockerConfig(sandbox, mirror.Host, mirror.Credentials! with { Password = "not-the-password" });

        var run = await sandbox.RunAsync(
            Merge(records, $"{sandbox.Registry.Host}/multiarch", $"{mirror.Host}/mirror"), environment);

        run.ExitCode.Should().NotBe(0, run.ToString());
        run.ErrorLines.Should().ContainSingle().Which.Should().Contain($"{mirror.Host}/mirror/hello").And.Contain("Authentication");
        run.Output.Should().Contain($"mirror {mirror.Host}/mirror/hello: FAILED").And.Contain("no tag moved");
        (await sandbox.TagsAsync()).Should().Contain("1.2.3", "the first registry published before the mirror was tried");
        using var client = mirror.CreateClient();
        (await client.ListTagsAsync("mirror/hello")).Should().BeEmpty();
    }

    [SkippableTheory]
    [InlineData("ghcr", "'ghcr'")]
    [InlineData("ghcr.io/Acme", "namespace 'Acme'")]
    [InlineData("https://ghcr.io/acme", "drop the scheme")]
    public async Task A_registries_entry_that_is_not_host_and_namespace_is_refused_in_one_line(string entry, string named)
    {
        ServiceRequirement.Require(Service.Registry);
        await using var sandbox = await PipelineSandbox.StartAsync();

        var run = await sandbox.RunAsync(["MergeManifest", "--skip", "--registries", $"{sandbox.Registry.Host}/multiarch", entry]);

        run.ExitCode.Should().NotBe(0);
        run.ErrorLines.Should().ContainSingle().Which.Should().Contain($"--registries entry '{entry}' is not host[/namespace]")
            .And.Contain(named).And.Contain("ghcr.io/acme");
    }

    // What the legs would have pushed: one image per platform under its per-arch tag, and their digest records.
    static async Task<AbsolutePath> PushPerArchImagesAsync(PipelineSandbox sandbox)
    {
        var folder = sandbox.Folder("legs");
        using var client = sandbox.Registry.CreateClient();
        foreach (var platform in Platforms.Select(Platform.Parse))
        {
            var tag = $"1.2.3-{platform.Pair}";
            var image = await TestImages.PushImageAsync(client, "multiarch/hello", platform, layerBytes: 64 * 1024, tag: tag);
            DigestDirectory.Write(
                folder,
                new DigestRecord(
                    ImageReference.Create(sandbox.Registry.Host, "multiarch/hello"), image.Digest, platform, tag,
                    image.MediaType, image.Bytes.Length));
        }
        return folder;
    }

    static string[] Merge(AbsolutePath records, params string[] registries) =>
        [
            "MergeManifest", "--skip", "--version", "1.2.3", "--platform", .. Platforms,
            "--digests-directory", records, "--registries", .. registries,
        ];

    // The mirror's login as docker login (docker/login-action in CI) leaves it: an auths entry in DOCKER_CONFIG.
    static Dictionary<string, string> DockerConfig(PipelineSandbox sandbox, string host, RegistryCredentials credentials)
    {
        var folder = sandbox.Folder("docker-config");
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}"));
        File.WriteAllText(folder / "config.json", "{\"auths\":{\"" + host + "\":{\"auth\":\"" + auth + "\"}}}");
        return new Dictionary<string, string> { ["DOCKER_CONFIG"] = folder };
    }
}
