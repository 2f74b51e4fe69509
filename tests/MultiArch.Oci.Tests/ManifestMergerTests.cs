using MultiArch.Testing;
using static MultiArch.Oci.Tests.MergeFixture;

namespace MultiArch.Oci.Tests;

[Trait("Category", "Registry")]
public sealed class ManifestMergerTests
{
    private static readonly Platform[] Five =
        [Platform.LinuxAmd64, Platform.LinuxArm64, Platform.LinuxArmV7, Platform.Parse("linux/arm/v6"), Platform.Parse("linux/ppc64le")];

    [SkippableFact]
    public async Task Merge_of_two_platforms_publishes_version_minor_major_and_latest_as_one_index()
    {
        ServiceRequirement.Require(Service.Registry | Service.Skopeo);
        await using var fixture = await RegistryWithImages.StartAsync("demo/app", Two);
        var (registry, client, sources) = fixture;

        var result = await new ManifestMerger(client).MergeAsync(Request(client, "demo/app", sources));

        result.TagsPushed.Should().Equal("1.2.3", "1.2", "1", "latest");
        result.Reference.ToString().Should().Be($"{registry.Host}/demo/app:1.2.3@{result.Digest}");
        result.Platforms.Select(p => (p.Platform, p.Digest)).Should().Equal(sources.Select(s => (s.Platform!, s.Digest)));
        result.MediaType.Should().Be(MediaTypes.OciIndex);
        foreach (var tag in result.TagsPushed)
            await VerifyWithSkopeoAsync(registry, "demo/app", tag, result.Digest, Two);
    }

    [SkippableFact]
    public async Task Merge_of_five_platforms_behind_basic_auth_lists_children_sorted_by_platform()
    {
        ServiceRequirement.Require(Service.Registry | Service.Skopeo | Service.Htpasswd);
        await using var fixture = await RegistryWithImages.StartAsync("demo/app", Five.Reverse(), mode: RegistryMode.Htpasswd);
        var (registry, client, sources) = fixture;

        var result = await new ManifestMerger(client).MergeAsync(Request(client, "demo/app", sources));

        var index = await VerifyWithSkopeoAsync(registry, "demo/app", "latest", result.Digest, Five);
        index.Manifests.Select(m => m.Platform!.ToString())
            .Should().Equal("linux/amd64", "linux/arm/v6", "linux/arm/v7", "linux/arm64", "linux/ppc64le");
        result.ToString().Should().NotContain(registry.Credentials!.Password);
    }

    [SkippableFact]
    public async Task Nested_repository_names_merge_like_any_other()
    {
        ServiceRequirement.Require(Service.Registry | Service.Skopeo);
        await using var fixture = await RegistryWithImages.StartAsync("owner/team/app/dev", Two);
        var (registry, client, sources) = fixture;

        var result = await new ManifestMerger(client).MergeAsync(Request(client, "owner/team/app/dev", sources));

        await VerifyWithSkopeoAsync(registry, "owner/team/app/dev", "1.2.3", result.Digest, Two);
    }

    [SkippableFact]
    public async Task Sources_that_are_indexes_are_flattened_and_their_attestations_dropped()
    {
        ServiceRequirement.Require(Service.Registry | Service.Skopeo);
        await using var registry = await RegistryProcess.StartAsync();
        using var client = registry.CreateClient();
        // What `docker buildx build --push` leaves per platform: an index with the image and its provenance.
        var sources = new List<DigestRecord>();
        foreach (var platform in Two)
        {
            var index = await TestImages.PushIndexWithAttestationsAsync(client, "demo/app", [platform]);
            sources.Add(new DigestRecord(ImageReference.Parse($"{registry.Host}/demo/app"), index.Digest, platform));
        }

        var result = await new ManifestMerger(client).MergeAsync(Request(client, "demo/app", sources));

        var merged = await VerifyWithSkopeoAsync(registry, "demo/app", "1.2.3", result.Digest, Two);
        merged.Manifests.Should().HaveCount(2).And.OnlyContain(m => !m.IsAttestation);
        result.Attestations.Should().Be(0);
    }

    [SkippableFact]
    public async Task Attestations_are_kept_next_to_their_images_when_asked()
    {
        ServiceRequirement.Require(Service.Registry | Service.Skopeo);
        await using var registry = await RegistryProcess.StartAsync();
        using var client = registry.CreateClient();
        var index = await TestImages.PushIndexWithAttestationsAsync(client, "demo/app", Two);
        var sources = new List<DigestRecord> { new(ImageReference.Parse($"{registry.Host}/demo/app"), index.Digest, null) };

        var result = await new ManifestMerger(client).MergeAsync(Request(client, "demo/app", sources,
            Two) with { KeepAttestations = true });

        var merged = await VerifyWithSkopeoAsync(registry, "demo/app", "1.2.3", result.Digest, Two);
        var images = merged.Manifests.Where(m => !m.IsAttestation).Select(m => m.Digest.ToString()).ToList();
        merged.Manifests.Where(m => m.IsAttestation).Select(m => m.Annotations![Annotations.DockerReferenceDigest])
            .Should().Equal(images);
        result.Attestations.Should().Be(2);
    }

    [SkippableFact]
    public async Task Re_running_a_merge_gives_the_same_digest_and_pushes_no_tag_again()
    {
        ServiceRequirement.Require(Service.Registry | Service.Skopeo);
        await using var fixture = await RegistryWithImages.StartAsync("demo/app", Two);
        var (registry, client, sources) = fixture;
        var first = await new ManifestMerger(client).MergeAsync(Request(client, "demo/app", sources));

        var again = await new ManifestMerger(client).MergeAsync(Request(client, "demo/app",
            sources.AsEnumerable().Reverse().ToList(), Two));

        again.Digest.Should().Be(first.Digest);
        again.IndexBytes.ToArray().Should().Equal(first.IndexBytes.ToArray());
        again.TagsPushed.Should().BeEmpty();
        again.TagsUnchanged.Should().Equal("1.2.3", "1.2", "1", "latest");
        await VerifyWithSkopeoAsync(registry, "demo/app", "1", first.Digest, Two);
    }

    [SkippableFact]
    public async Task Two_merges_of_the_same_version_at_once_both_finish_with_one_complete_index()
    {
        ServiceRequirement.Require(Service.Registry | Service.Skopeo);
        await using var fixture = await RegistryWithImages.StartAsync("demo/app", Five);
        var (registry, client, sources) = fixture;
        using var other = registry.CreateClient();

        var results = await Task.WhenAll(
            new ManifestMerger(client).MergeAsync(Request(client, "demo/app", sources)),
            new ManifestMerger(other).MergeAsync(Request(other, "demo/app", sources)));

        results[0].Digest.Should().Be(results[1].Digest);
        foreach (var tag in new[] { "1.2.3", "1.2", "1", "latest" })
            await VerifyWithSkopeoAsync(registry, "demo/app", tag, results[0].Digest, Five);
    }

    [SkippableFact]
    public async Task The_index_is_pushed_by_digest_before_its_first_tag_so_no_tag_ever_points_at_a_partial_index()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var registry = await RegistryProcess.StartAsync();
        using var recorder = new RequestRecorder();
        using var client = registry.CreateClient(new RegistryClientOptions { InnerHandler = recorder });
        var sources = await TestImages.PushPlatformsAsync(client, "demo/app", Two);
        recorder.Clear();

        var result = await new ManifestMerger(client).MergeAsync(Request(client, "demo/app", sources));

        // A registry stores the manifest on a tag PUT too, so only the order of the requests shows the promise.
        var manifestPuts = recorder.Requests.Where(r => r.StartsWith("PUT /v2/demo/app/manifests/", StringComparison.Ordinal))
            .Select(r => r["PUT /v2/demo/app/manifests/".Length..]).ToList();
        manifestPuts.Should().Equal([result.Digest.ToString(), "1.2.3", "1.2", "1", "latest"],
            "the index goes up by digest first, then each tag; never a tag before the digest");
    }

    [SkippableFact]
    public async Task A_merge_uses_two_requests_per_platform_plus_one_per_tag_and_two_for_the_index()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var fixture = await RegistryWithImages.StartAsync("demo/app", Five, seed: 5);
        var (registry, client, sources) = fixture;

        var result = await new ManifestMerger(client).MergeAsync(Request(client, "demo/app", sources));

        // GET manifest + GET config per platform; HEAD + PUT of the index by digest; one PUT per tag.
        result.Traffic.Requests.Should().Be(2 * 5 + 2 + 4);
        result.Traffic.BytesSent.Should().BeLessThan(64 * 1024);
        result.Traffic.BytesReceived.Should().BeLessThan(64 * 1024);
    }

    [SkippableFact]
    public async Task Docker_recipe_digest_files_merge_with_platforms_read_from_the_configs()
    {
        ServiceRequirement.Require(Service.Registry | Service.Skopeo);
        await using var registry = await RegistryProcess.StartAsync();
        using var client = registry.CreateClient();
        var pushed = await TestImages.PushPlatformsAsync(client, "demo/app", Two);
        using var dir = new TempDirectory();
        foreach (var record in pushed) dir.File(record.Digest.Hex, ""); // `touch "/tmp/digests/${digest#sha256:}"`

        var sources = DigestDirectory.Read(dir.Path);
        var result = await new ManifestMerger(client).MergeAsync(Request(client, "demo/app", sources, Two));

        await VerifyWithSkopeoAsync(registry, "demo/app", "1.2.3", result.Digest, Two);
    }

    [SkippableFact]
    public async Task Records_written_by_export_digest_merge_from_the_directory()
    {
        ServiceRequirement.Require(Service.Registry | Service.Skopeo);
        await using var registry = await RegistryProcess.StartAsync();
        using var client = registry.CreateClient();
        using var dir = new TempDirectory();
        foreach (var record in await TestImages.PushPlatformsAsync(client, "demo/app", Two)) DigestDirectory.Write(dir.Path, record);

        var result = await new ManifestMerger(client).MergeAsync(Request(client, "demo/app", DigestDirectory.Read(dir.Path), Two));

        await VerifyWithSkopeoAsync(registry, "demo/app", "latest", result.Digest, Two);
    }

    [SkippableFact]
    public async Task Docker_images_merge_into_a_manifest_list_unless_annotations_are_asked_for()
    {
        ServiceRequirement.Require(Service.Registry | Service.Skopeo);
        await using var fixture = await RegistryWithImages.StartAsync("demo/app", Two, docker: true);
        var (registry, client, sources) = fixture;

        var plain = await new ManifestMerger(client).MergeAsync(Request(client, "demo/app", sources) with { Tags = ["plain"] });
        var annotated = await new ManifestMerger(client).MergeAsync(Request(client, "demo/app", sources) with
        {
            Tags = ["annotated"],
            Annotations = new Dictionary<string, string>
            {
                [Annotations.Description] = "A demo server", [Annotations.Source] = "https://github.com/acme/app",
            },
        });

        plain.MediaType.Should().Be(MediaTypes.DockerManifestList);
        annotated.MediaType.Should().Be(MediaTypes.OciIndex);
        var index = await VerifyWithSkopeoAsync(registry, "demo/app", "annotated", annotated.Digest, Two);
        index.Annotations.Should().Contain(Annotations.Description, "A demo server");
        await VerifyWithSkopeoAsync(registry, "demo/app", "plain", plain.Digest, Two);
    }

    [SkippableFact]
    public async Task Dry_run_returns_the_index_json_and_pushes_nothing()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var fixture = await RegistryWithImages.StartAsync("demo/app", Two);
        var (registry, client, sources) = fixture;

        var result = await new ManifestMerger(client).MergeAsync(Request(client, "demo/app", sources) with { DryRun = true });

        result.IndexJson.Should().Contain("\"schemaVersion\":2").And.Contain(sources[0].Digest.ToString());
        result.DryRun.Should().BeTrue();
        result.TagsPushed.Should().BeEmpty();
        (await client.HeadManifestAsync("demo/app", result.Digest.ToString())).Should().BeNull();
        (await client.ListTagsAsync("demo/app")).Should().NotContain("1.2.3");
    }
}

