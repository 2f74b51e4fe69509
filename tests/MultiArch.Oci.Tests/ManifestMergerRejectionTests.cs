using MultiArch.Testing;
using static MultiArch.Oci.Tests.MergeFixture;

namespace MultiArch.Oci.Tests;

// Inputs a merge refuses: it names what is wrong and pushes nothing.
[Trait("Category", "Registry")]
public sealed class ManifestMergerRejectionTests
{
    [SkippableFact]
    public async Task Merge_with_missing_platform_names_it_and_pushes_nothing()
    {
        ServiceRequirement.Require(Service.Registry | Service.Skopeo);
        await using var fixture = await RegistryWithImages.StartAsync("demo/app", Two);
        var (registry, client, sources) = fixture;
        var previous = await new ManifestMerger(client).MergeAsync(Request(client, "demo/app", sources, version: "1.2.2"));
        var tagsBefore = await client.ListTagsAsync("demo/app");

        var act = () => new ManifestMerger(client).MergeAsync(Request(client, "demo/app", sources.Take(1).ToList(), Two));

        (await act.Should().ThrowAsync<OciInputException>()).Which.Message.Should()
            .StartWith("Platform linux/arm64 has no digest record").And.Contain("ExportDigest --platform linux/arm64");
        (await client.ListTagsAsync("demo/app")).Should().BeEquivalentTo(tagsBefore);
        await VerifyWithSkopeoAsync(registry, "demo/app", "latest", previous.Digest, Two); // latest untouched
    }

    [SkippableFact]
    public async Task Merge_with_duplicate_platform_names_it_and_pushes_nothing()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var fixture = await RegistryWithImages.StartAsync("demo/app", Two);
        var (registry, client, sources) = fixture;
        sources.AddRange(await TestImages.PushPlatformsAsync(client, "demo/app", [Platform.LinuxArm64], seed: 2));

        var act = () => new ManifestMerger(client).MergeAsync(Request(client, "demo/app", sources, Two));

        (await act.Should().ThrowAsync<OciInputException>()).WithMessage("Platform linux/arm64 appears 2 times*keep exactly one " +
            "record per platform.");
        (await client.ListTagsAsync("demo/app")).Should().NotContain("1.2.3");
    }

    [SkippableFact]
    public async Task Digest_absent_from_the_registry_is_reported_before_anything_is_pushed()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var fixture = await RegistryWithImages.StartAsync("demo/app", Two);
        var (registry, client, sources) = fixture;
        var absent = Digest.Parse("sha256:" + new string('e', 64));
        sources[1] = sources[1] with { Digest = absent };

        var act = () => new ManifestMerger(client).MergeAsync(Request(client, "demo/app", sources));

        (await act.Should().ThrowAsync<OciInputException>())
            .WithMessage($"Digest {absent} from {absent} (linux/arm64) does not exist in {registry.Host}/demo/app: " +
                "push the image for linux/arm64 again, then merge.");
        (await client.ListTagsAsync("demo/app")).Should().NotContain("1.2.3");
    }

    [SkippableFact]
    public async Task A_record_claiming_the_wrong_platform_is_caught_from_the_image_config()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var fixture = await RegistryWithImages.StartAsync("demo/app", [Platform.LinuxAmd64]);
        var (registry, client, sources) = fixture;
        var mislabelled = await TestImages.PushImageAsync(client, "demo/app", Platform.LinuxArm64,
            configPlatform: Platform.LinuxAmd64, seed: 3);
        sources.Add(new DigestRecord(ImageReference.Parse($"{registry.Host}/demo/app"), mislabelled.Digest, Platform.LinuxArm64));

        var act = () => new ManifestMerger(client).MergeAsync(Request(client, "demo/app", sources));

        (await act.Should().ThrowAsync<OciInputException>())
            .WithMessage($"*claims linux/arm64, but image {mislabelled.Digest} is linux/amd64 (from its config)*");
        (await client.ListTagsAsync("demo/app")).Should().NotContain("1.2.3");
    }

    [SkippableFact]
    public async Task A_record_for_another_repository_or_an_unlisted_platform_is_rejected()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var fixture = await RegistryWithImages.StartAsync("demo/app", Two);
        var (registry, client, sources) = fixture;

        var other = () => new ManifestMerger(client).MergeAsync(Request(client, "demo/other", sources));
        var unlisted = () => new ManifestMerger(client).MergeAsync(Request(client, "demo/app", sources, [Platform.LinuxAmd64]));

        (await other.Should().ThrowAsync<OciInputException>()).WithMessage($"*is for {registry.Host}/demo/app, " +
            $"not {registry.Host}/demo/other*");
        (await unlisted.Should().ThrowAsync<OciInputException>()).WithMessage("Platform linux/arm64 * is not in --platform (linux/amd64)*");
    }
}
