using System.Text;
using MultiArch.Testing;

namespace MultiArch.Oci.Tests;

[Trait("Category", "Registry")]
public sealed class RegistryClientTests
{
    [SkippableTheory]
    [InlineData(RegistryMode.Open)]
    [InlineData(RegistryMode.Htpasswd)]
    [InlineData(RegistryMode.Token)]
    public async Task Pushed_image_reads_back_with_the_same_digest_in_every_auth_mode(RegistryMode mode)
    {
        ServiceRequirement.Require(Service.Registry | Service.Skopeo);
        await using var registry = await RegistryProcess.StartAsync(mode);
        using var client = registry.CreateClient();
        await client.PingAsync();

        var pushed = await TestImages.PushImageAsync(client, "owner/app/dev", Platform.LinuxArm64, tag: "1.0.0");

        var read = await client.GetManifestAsync("owner/app/dev", "1.0.0");
        read.Digest.Should().Be(pushed.Digest);
        read.Bytes.ToArray().Should().Equal(pushed.Bytes.ToArray());
        var raw = await Skopeo.InspectRawAsync($"{registry.Host}/owner/app/dev:1.0.0", registry.Credentials);
        Digest.Compute(Encoding.UTF8.GetBytes(raw)).Should().Be(pushed.Digest);
    }

    [SkippableFact]
    public async Task Chunked_uploads_store_the_same_blob_as_one_body_uploads()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var registry = await RegistryProcess.StartAsync();
        using var client = registry.CreateClient();
        var content = new byte[300_000];
        new Random(7).NextBytes(content);

        var chunked = await client.PushBlobAsync("demo/a", content, MediaTypes.OciLayerGzip, chunkSize: 64 * 1024);
        var whole = await client.PushBlobAsync("demo/b", content, MediaTypes.OciLayerGzip);

        chunked.Digest.Should().Be(whole.Digest).And.Be(Digest.Compute(content));
        (await client.GetBlobAsync("demo/a", chunked.Digest)).Should().Equal(content);
    }

    [SkippableFact]
    public async Task A_blob_is_mounted_from_another_repository_without_uploading_it()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var registry = await RegistryProcess.StartAsync();
        using var client = registry.CreateClient();
        var blob = await client.PushBlobAsync("demo/source", Encoding.UTF8.GetBytes(new string('x', 100_000)), MediaTypes.OciLayerGzip);
        var sentBefore = client.Traffic.BytesSent;

        (await client.MountBlobAsync("demo/target", blob.Digest, "demo/source")).Should().BeTrue();

        (client.Traffic.BytesSent - sentBefore).Should().BeLessThan(2_000);
        (await client.BlobExistsAsync("demo/target", blob.Digest)).Should().BeTrue();
    }

    [SkippableFact]
    public async Task Deleting_a_manifest_twice_is_harmless()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var registry = await RegistryProcess.StartAsync();
        using var client = registry.CreateClient();
        var image = await TestImages.PushImageAsync(client, "demo/app", Platform.LinuxAmd64, tag: "gone");

        (await client.DeleteManifestAsync("demo/app", image.Digest)).Should().BeTrue();
        (await client.DeleteManifestAsync("demo/app", image.Digest)).Should().BeFalse();
        (await client.HeadManifestAsync("demo/app", image.Digest.ToString())).Should().BeNull();
    }

    [SkippableFact]
    public async Task Tags_of_a_repository_are_listed_and_an_unknown_repository_has_none()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var registry = await RegistryProcess.StartAsync();
        using var client = registry.CreateClient();
        var image = await TestImages.PushImageAsync(client, "demo/app", Platform.LinuxAmd64);
        var tags = Enumerable.Range(1, 7).Select(i => $"v{i}").ToList();
        foreach (var tag in tags) await client.PutManifestAsync("demo/app", tag, image);

        (await client.ListTagsAsync("demo/app", pageSize: 3)).Should().BeEquivalentTo(tags);
        (await client.ListTagsAsync("demo/never-pushed")).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task Listings_follow_link_pages_to_the_end()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var registry = await RegistryProcess.StartAsync();
        using var client = registry.CreateClient();
        var repositories = Enumerable.Range(1, 7).Select(i => $"demo/app{i}").ToList();
        foreach (var repository in repositories) await TestImages.PushImageAsync(client, repository, Platform.LinuxAmd64);
        var requestsBefore = client.Traffic.Requests;

        // distribution 2.8 paginates the catalog with Link headers (its tag list comes in one page).
        var listed = await client.ListRepositoriesAsync(pageSize: 3);

        listed.Should().BeEquivalentTo(repositories);
        (client.Traffic.Requests - requestsBefore).Should().BeGreaterThanOrEqualTo(3, "7 repositories in pages of 3");
    }

    [SkippableFact]
    public async Task Referrers_fall_back_to_the_tag_schema_when_the_registry_has_no_referrers_api()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var registry = await RegistryProcess.StartAsync();
        using var client = registry.CreateClient();
        var image = await TestImages.PushImageAsync(client, "demo/app", Platform.LinuxAmd64);
        var signature = await TestImages.PushImageAsync(client, "demo/app", Platform.LinuxAmd64, seed: 9);
        // Clients of registries without the API keep an index of referrers under the sha256-<hex> tag.
        var referrers = new ImageIndex(MediaTypes.OciIndex,
            [signature.ToDescriptor() with { ArtifactType = "application/vnd.dev.sigstore.bundle+json" }]);
        await client.PutManifestAsync("demo/app", $"sha256-{image.Digest.Hex}", ManifestDocument.FromBytes(referrers.ToJson()));

        var found = await client.ListReferrersAsync("demo/app", image.Digest);

        found.Should().ContainSingle().Which.Digest.Should().Be(signature.Digest);
        (await client.ListReferrersAsync("demo/app", signature.Digest)).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task A_host_that_is_not_a_registry_is_named_in_one_line()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var issuer = await TokenIssuer.StartAsync(); // an HTTP server that is not a registry
        var host = new Uri(issuer.Realm).Authority;
        using var client = new RegistryClient(host);

        var act = () => client.PingAsync();

        (await act.Should().ThrowAsync<OciRegistryException>())
            .WithMessage($"{host} is not an OCI registry: GET /v2/ answered 404; check the --registry value.");
    }

    [SkippableFact]
    public async Task A_closed_port_fails_with_a_bounded_number_of_attempts()
    {
        ServiceRequirement.Require(Service.Registry);
        var host = $"127.0.0.1:{FreePort.Next()}";
        using var client = new RegistryClient(host,
            new RegistryClientOptions { Retry = new RetryPolicy { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(10) } });

        var act = () => client.PingAsync();

        (await act.Should().ThrowAsync<OciRegistryException>()).WithMessage($"GET {host}/v2/ failed: *after 3 attempts*");
        client.Traffic.Should().BeEquivalentTo(new { Requests = 3L, Retries = 2L });
    }

    [SkippableFact]
    public async Task A_caller_supplied_handler_sees_every_request_and_outlives_the_client()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var registry = await RegistryProcess.StartAsync(RegistryMode.Token);
        using var counter = new CountingHandler();
        using (var client = registry.CreateClient(new RegistryClientOptions { InnerHandler = counter }))
        {
            await TestImages.PushImageAsync(client, "demo/app", Platform.LinuxAmd64);
            counter.Requests.Should().Be((int)client.Traffic.Requests).And.BeGreaterThan(client.Traffic.TokenRequests > 0 ? 5 : 0);
        }
        using var again = registry.CreateClient(new RegistryClientOptions { InnerHandler = counter });
        await again.PingAsync(); // the first client did not dispose the shared handler
    }

    private sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _requests;

        public int Requests => _requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
