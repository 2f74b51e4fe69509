using System.Text;
using System.Text.Json;
using MultiArch.Oci.Provenance;
using MultiArch.Testing;

namespace MultiArch.Oci.Tests.Provenance;

[Trait("Category", "Registry")]
public sealed class ProvenanceReferrerTests
{
    private static InTotoStatement StatementFor(ManifestDocument image) => new ProvenanceInputs(
        ImageReference.Parse("127.0.0.1:5000/demo/app"), image.Digest, Platform.LinuxAmd64, "Dockerfile", ".",
        "https://github.com/acme/app", "0123456789abcdef0123456789abcdef01234567",
        "https://github.com/acme/app/.github/workflows/build.yml@refs/heads/main", "local-1").ToStatement();

    [SkippableFact]
    public async Task Provenance_is_a_referrer_of_the_image_listed_through_the_tag_schema_on_distribution_2_8()
    {
        ServiceRequirement.Require(Service.Registry | Service.Skopeo);
        await using var registry = await RegistryProcess.StartAsync();
        using var client = registry.CreateClient();
        var image = await TestImages.PushImageAsync(client, "demo/app", Platform.LinuxAmd64, tag: "1.0.0");
        var statement = StatementFor(image).ToJson();

        var referrer = await ReferrerPublisher.AttachAsync(client, "demo/app", image.ToDescriptor(), statement, InTotoStatement.MediaType);

        // Debian's distribution 2.8 has no referrers API, so the fallback tag is what lists it.
        var listed = await client.ListReferrersAsync("demo/app", image.Digest);
        listed.Should().ContainSingle().Which.Should().BeEquivalentTo(referrer);
        listed[0].ArtifactType.Should().Be("application/vnd.in-toto+json");
        (await client.HeadManifestAsync("demo/app", ReferrerPublisher.FallbackTag(image.Digest))).Should().NotBeNull();

        // Read back independently with skopeo: the referrer manifest's subject is the image, its layer the statement.
        var raw = await Skopeo.InspectRawAsync($"{registry.Host}/demo/app@{referrer.Digest}");
        using var manifest = JsonDocument.Parse(raw);
        var root = manifest.RootElement;
        root.GetProperty("mediaType").GetString().Should().Be(MediaTypes.OciManifest);
        root.GetProperty("artifactType").GetString().Should().Be(InTotoStatement.MediaType);
        root.GetProperty("config").GetProperty("mediaType").GetString().Should().Be("application/vnd.oci.empty.v1+json");
        root.GetProperty("config").GetProperty("digest").GetString().Should().Be(Digest.Compute("{}"u8).ToString());
        root.GetProperty("subject").GetProperty("digest").GetString().Should().Be(image.Digest.ToString());
        var layer = Digest.Parse(root.GetProperty("layers")[0].GetProperty("digest").GetString()!);
        var blob = await client.GetBlobAsync("demo/app", layer);
        StatementShape.Violations(blob).Should().BeEmpty();
        using var read = JsonDocument.Parse(blob);
        read.RootElement.GetProperty("subject")[0].GetProperty("digest").GetProperty("sha256").GetString().Should().Be(image.Digest.Hex);

        // The image's own tag still resolves to the image, not to anything the attachment wrote.
        (await client.GetManifestAsync("demo/app", "1.0.0")).Digest.Should().Be(image.Digest);
    }

    [SkippableFact]
    public async Task The_merged_index_lists_only_real_platforms_and_each_keeps_its_provenance()
    {
        ServiceRequirement.Require(Service.Registry | Service.Skopeo);
        await using var fixture = await RegistryWithImages.StartAsync("demo/app", MergeFixture.Two);
        var (registry, client, sources) = fixture;
        var attached = new Dictionary<Digest, Digest>();
        foreach (var source in sources)
        {
            var image = await client.GetManifestAsync("demo/app", source.Digest.ToString());
            attached[source.Digest] = (await ReferrerPublisher.AttachAsync(client, "demo/app", image.ToDescriptor(),
                StatementFor(image).ToJson(), InTotoStatement.MediaType)).Digest;
        }

        var result = await new ManifestMerger(client).MergeAsync(MergeFixture.Request(client, "demo/app", sources));

        // skopeo's view of the published index: exactly the two platforms, no unknown/unknown or artifact entries.
        var index = ImageIndex.Parse(Encoding.UTF8.GetBytes(await Skopeo.InspectRawAsync($"{registry.Host}/demo/app:1.2.3")));
        index.Manifests.Select(m => m.Platform?.ToString()).Should().BeEquivalentTo(["linux/amd64", "linux/arm64"]);
        index.Manifests.Should().OnlyContain(m => m.ArtifactType == null && !m.IsAttestation);
        index.Manifests.Select(m => m.Digest).Should().BeEquivalentTo(attached.Keys);
        foreach (var child in index.Manifests)
            (await client.ListReferrersAsync("demo/app", child.Digest)).Select(r => r.Digest).Should().Equal(attached[child.Digest]);
        result.Digest.Should().Be(Digest.Compute(Encoding.UTF8.GetBytes(await Skopeo.InspectRawAsync($"{registry.Host}/demo/app:1.2.3"))));
    }

    [SkippableFact]
    public async Task Attaching_again_or_attaching_another_artifact_merges_the_fallback_index()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var registry = await RegistryProcess.StartAsync();
        using var client = registry.CreateClient();
        var image = await TestImages.PushImageAsync(client, "demo/app", Platform.LinuxAmd64);
        var statement = StatementFor(image).ToJson();

        var first = await ReferrerPublisher.AttachAsync(client, "demo/app", image.ToDescriptor(), statement, InTotoStatement.MediaType);
        await ReferrerPublisher.AttachAsync(client, "demo/app", image.ToDescriptor(), statement, InTotoStatement.MediaType);
        var other = await ReferrerPublisher.AttachAsync(client, "demo/app", image.ToDescriptor(),
            Encoding.UTF8.GetBytes("""{"spdxVersion":"SPDX-2.3"}"""), "application/spdx+json");

        var listed = await client.ListReferrersAsync("demo/app", image.Digest);
        listed.Select(d => d.Digest).Should().Equal(first.Digest, other.Digest);
    }

    [SkippableFact]
    public async Task A_registry_that_indexes_referrers_itself_gets_no_fallback_tag()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var registry = await RegistryProcess.StartAsync();
        // Stands in for a 1.1 registry: distribution 2.8 stores the manifest; the handler adds the OCI-Subject answer 1.1 registries give.
        using var wire = new SubjectAnsweringHandler();
        using var client = registry.CreateClient(new RegistryClientOptions { InnerHandler = wire });
        var image = await TestImages.PushImageAsync(client, "demo/app", Platform.LinuxAmd64);

        await ReferrerPublisher.AttachAsync(client, "demo/app", image.ToDescriptor(), StatementFor(image).ToJson(),
            InTotoStatement.MediaType);

        wire.SubjectsAnswered.Should().Be(1);
        (await client.HeadManifestAsync("demo/app", ReferrerPublisher.FallbackTag(image.Digest))).Should().BeNull();
    }

    [SkippableFact]
    public async Task A_fallback_tag_that_is_not_an_index_is_named_in_one_line()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var registry = await RegistryProcess.StartAsync();
        using var client = registry.CreateClient();
        var image = await TestImages.PushImageAsync(client, "demo/app", Platform.LinuxAmd64);
        await client.PutManifestAsync("demo/app", ReferrerPublisher.FallbackTag(image.Digest), image);

        var act = () => ReferrerPublisher.AttachAsync(client, "demo/app", image.ToDescriptor(), StatementFor(image).ToJson(),
            InTotoStatement.MediaType);

        (await act.Should().ThrowAsync<OciRegistryException>()).Which.Message.Should()
            .Contain($"demo/app:sha256-{image.Digest.Hex} is not an index").And.NotContain("\n");
    }

    private sealed class SubjectAnsweringHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        public int SubjectsAnswered { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            var response = await base.SendAsync(request, cancellationToken);
            if (request.Method == HttpMethod.Put && request.RequestUri!.AbsolutePath.Contains("/manifests/") && body is not null &&
                JsonDocument.Parse(body).RootElement.TryGetProperty("subject", out var subject))
            {
                response.Headers.Add("OCI-Subject", subject.GetProperty("digest").GetString());
                SubjectsAnswered++;
            }
            return response;
        }
    }
}
