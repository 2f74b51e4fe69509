using System.Text;
using MultiArch.Oci.Mirroring;
using MultiArch.Testing;

namespace MultiArch.Oci.Tests;

/// <summary>
/// Mirroring an index to other registries, against real loopback registries. Each registry under test sits behind a
/// <see cref="FaultProxy"/> (fault rate 0) whose request log is the registry's view of what arrived, bodies included.
/// </summary>
[Trait("Category", "Registry")]
public sealed class RegistryMirrorTests
{
    private static readonly Platform[] Two = [Platform.LinuxAmd64, Platform.LinuxArm64];
    private static readonly string[] Tags = ["1.2.3", "latest"];

    [SkippableFact]
    public async Task Within_one_registry_every_blob_is_mounted_and_only_manifests_are_uploaded()
    {
        ServiceRequirement.Require(Service.Registry | Service.Skopeo);
        await using var registry = await RegistryProcess.StartAsync();
        await using var proxy = await FaultProxy.StartAsync(new Uri($"http://{registry.Host}"), faultRate: 0);
        using var client = new RegistryClient(proxy.Host);
        var (index, images) = await PushIndexAsync(client, "acme/app", layers: 2, layerBytes: 256 * 1024);
        proxy.ClearLog();

        var results = await new RegistryMirror(client, "acme/app").MirrorAsync(index.Digest,
            [new MirrorTarget(client, "mirror/app")], Tags);

        var result = results.Should().ContainSingle().Subject;
        result.Succeeded.Should().BeTrue(result.ToString());
        result.BlobsMounted.Should().Be(6, "two images of two layers and a config each");
        (result.BlobsCopied, result.BlobsSkipped, result.BytesUploaded).Should().Be((0, 0, 0L));
        var log = proxy.RequestLog;
        log.Should().NotContain(r => r.Method == "PATCH", "a mount moves no layer bytes");
        log.Where(r => r.Method == "PUT").Should().OnlyContain(r => r.PathAndQuery.StartsWith("/v2/mirror/app/manifests/"));
        log.Where(r => r.Method == "POST").Should().HaveCount(6).And
            .OnlyContain(r => r.PathAndQuery.Contains("mount=") && r.PathAndQuery.Contains("from=acme"), "one mount per " +
                "blob, no upload session")
            .And.OnlyContain(r => r.Status == 201);
        log.Where(r => r.PathAndQuery.Contains("/blobs/")).Sum(r => r.BodyBytes).Should().Be(0);
        // Manifests only: each image once by digest, the index once by digest and once per tag.
        log.Sum(r => r.BodyBytes).Should().Be(images.Sum(i => (long)i.Bytes.Length) + index.Bytes.Length * (1 + Tags.Length));

        await VerifyAsync(registry.Host, "mirror/app", index.Digest, null);
    }

    [SkippableFact]
    public async Task Across_registries_each_blob_is_streamed_once_and_a_second_run_uploads_nothing()
    {
        ServiceRequirement.Require(Service.Registry | Service.Htpasswd | Service.Skopeo);
        await using var first = await RegistryProcess.StartAsync();
        await using var second = await RegistryProcess.StartAsync(RegistryMode.Htpasswd);
        await using var proxy = await FaultProxy.StartAsync(new Uri($"http://{second.Host}"), faultRate: 0);
        using var source = first.CreateClient();
        // One layer above the stream buffer size many times over, so the copy really is a stream.
        var (index, images) = await PushIndexAsync(source, "acme/app", layers: 2, layerBytes: 3 * 1024 * 1024);
        var blobs = images.SelectMany(i => i.AsImage().Layers.Prepend(i.AsImage().Config)).ToList();
        using var destination = new RegistryClient(proxy.Host, new RegistryClientOptions { Credentials = second.Credentials });
        var mirror = new RegistryMirror(source, "acme/app");
        var target = new MirrorTarget(destination, "acme/app");

        var result = (await mirror.MirrorAsync(index.Digest, [target], Tags)).Single();

        result.Succeeded.Should().BeTrue(result.ToString());
        (result.BlobsCopied, result.BlobsMounted, result.BlobsSkipped).Should().Be((blobs.Count, 0, 0));
        result.BytesUploaded.Should().Be(blobs.Sum(b => b.Size));
        result.ManifestsPushed.Should().Be(3, "two images and the index");
        var log = proxy.RequestLog;
        log.Should().NotContain(r => r.Method == "PATCH");
        foreach (var blob in blobs)
            log.Where(r => r.Method == "PUT" && r.PathAndQuery.Contains("/blobs/uploads/") && r.PathAndQuery.Contains(blob.Digest.Hex))
                .Should().ContainSingle($"blob {blob.Digest} is uploaded exactly once").Which.BodyBytes.Should().Be(blob.Size);
        log.Where(r => r.PathAndQuery.Contains("/blobs/")).Sum(r => r.BodyBytes).Should().Be(blobs.Sum(b => b.Size),
            "nothing but the blobs, once each");
        await VerifyAsync(second.Host, "acme/app", index.Digest, second.Credentials);

        proxy.ClearLog();
        var again = (await mirror.MirrorAsync(index.Digest, [target], Tags)).Single();

        again.Succeeded.Should().BeTrue(again.ToString());
        (again.BlobsCopied, again.BlobsSkipped, again.BytesUploaded).Should().Be((0, blobs.Count, 0L));
        (again.ManifestsPushed, again.ManifestsPresent).Should().Be((0, 3));
        again.TagsPushed.Should().BeEmpty();
        again.TagsUnchanged.Should().Equal(Tags);
        proxy.RequestLog.Should().OnlyContain(r => r.Method == "HEAD" || r.Method == "GET", "a second run only looks");
        proxy.RequestLog.Sum(r => r.BodyBytes).Should().Be(0);
    }

    [SkippableFact]
    public async Task A_failing_mirror_gets_no_tag_and_the_other_mirrors_still_publish()
    {
        ServiceRequirement.Require(Service.Registry | Service.Htpasswd | Service.Skopeo);
        await using var first = await RegistryProcess.StartAsync();
        await using var second = await RegistryProcess.StartAsync(RegistryMode.Htpasswd);
        await using var proxy = await FaultProxy.StartAsync(new Uri($"http://{second.Host}"), faultRate: 0);
        using var source = first.CreateClient();
        var (index, images) = await PushIndexAsync(source, "acme/app", layers: 1, layerBytes: 8192);
        // The second image's manifest never gets in: the index would list a manifest the mirror lacks.
        proxy.FailWhen = (method, path) => method == "PUT" && path == $"/v2/acme/app/manifests/{images[1].Digest}";
        var noRetries = new RegistryClientOptions { Credentials = second.Credentials, Retry = RetryPolicy.None };
        using var failing = new RegistryClient(proxy.Host, noRetries);
        using var wrongPassword = new RegistryClient(second.Host,
            noRetries with { Credentials = second.Credentials! with { Password = "wrong" } });
        using var good = second.CreateClient();

        var results = await new RegistryMirror(source, "acme/app").MirrorAsync(index.Digest,
            [new MirrorTarget(failing, "acme/app"), new MirrorTarget(wrongPassword, "acme/other"), new MirrorTarget(good, "acme/good")],
            Tags);

        results.Select(r => r.Target).Should().Equal($"{proxy.Host}/acme/app", $"{second.Host}/acme/other", $"{second.Host}/acme/good");
        results[0].Succeeded.Should().BeFalse();
        results[0].Error.Should().Contain("HTTP 500").And.Contain(images[1].Digest.ToString());
        results[0].ToString().Should().Contain("FAILED").And.Contain("no tag moved");
        results[1].Error.Should().Contain("Authentication").And.NotContain("wrong");
        results[2].Succeeded.Should().BeTrue(results[2].ToString());
        results[2].TagsPushed.Should().Equal(Tags);

        // The failed mirror holds the blobs and the first image, but neither the index nor any tag.
        (await good.HeadManifestAsync("acme/app", images[0].Digest.ToString())).Should().NotBeNull();
        (await good.HeadManifestAsync("acme/app", index.Digest.ToString())).Should().BeNull();
        (await good.ListTagsAsync("acme/app")).Should().BeEmpty();
        (await good.ListTagsAsync("acme/other")).Should().BeEmpty();
        await VerifyAsync(second.Host, "acme/good", index.Digest, second.Credentials);
    }

    [SkippableFact]
    public async Task Referrers_of_the_images_are_copied_and_listed_in_the_mirror()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var first = await RegistryProcess.StartAsync();
        await using var second = await RegistryProcess.StartAsync();
        using var source = first.CreateClient();
        using var destination = second.CreateClient();
        var (index, images) = await PushIndexAsync(source, "acme/app", layers: 1, layerBytes: 1024);
        var statement = Encoding.UTF8.GetBytes("""{"_type":"https://in-toto.io/Statement/v1"}""");
        var referrer = await ReferrerPublisher.AttachAsync(source, "acme/app", images[0].ToDescriptor(), statement,
            "application/vnd.in-toto+json");

        var result = (await new RegistryMirror(source, "acme/app").MirrorAsync(index.Digest,
            [new MirrorTarget(destination, "acme/app")], Tags)).Single();

        result.Succeeded.Should().BeTrue(result.ToString());
        result.Referrers.Should().Be(1);
        var listed = await destination.ListReferrersAsync("acme/app", images[0].Digest);
        listed.Should().ContainSingle().Which.Digest.Should().Be(referrer.Digest);
        (await destination.GetBlobAsync("acme/app", Digest.Compute(statement))).Should().Equal(statement);
    }

    // Two images and an index over them, tagged 1.2.3 in the source.
    private static async Task<(ManifestDocument Index, List<ManifestDocument> Images)> PushIndexAsync(RegistryClient client,
        string repository, int layers, long layerBytes)
    {
        var images = new List<ManifestDocument>();
        foreach (var platform in Two)
            images.Add(await TestImages.PushImageAsync(client, repository, platform, layerBytes: layerBytes, layers: layers));
        var index = new ImageIndex(MediaTypes.OciIndex, images.Select((m, i) => m.ToDescriptor(Two[i])).ToList());
        var document = ManifestDocument.FromBytes(index.ToJson(), MediaTypes.OciIndex);
        await client.PutManifestAsync(repository, document.Digest.ToString(), document);
        await client.PutManifestAsync(repository, Tags[0], document);
        return (document, images);
    }

    // skopeo, a different client, reads the tag: the same index digest as in the source, and each child by digest.
    private static async Task VerifyAsync(string host, string repository, Digest expected, RegistryCredentials? credentials)
    {
        foreach (var tag in Tags)
        {
            var raw = await Skopeo.InspectRawAsync($"{host}/{repository}:{tag}", credentials);
            Digest.Compute(Encoding.UTF8.GetBytes(raw)).Should().Be(expected, $"{host}/{repository}:{tag} is the source's index");
            foreach (var child in ImageIndex.Parse(Encoding.UTF8.GetBytes(raw)).Manifests)
                Digest.Compute(Encoding.UTF8.GetBytes(await Skopeo.InspectRawAsync($"{host}/{repository}@{child.Digest}", credentials)))
                    .Should().Be(child.Digest);
        }
    }
}
