using System.Net;
using MultiArch.Testing;
using static MultiArch.Oci.Tests.MergeFixture;

namespace MultiArch.Oci.Tests;

/// <summary>
/// A tag PUT that keeps failing mid-merge leaves some tags on the new index and the rest where they were: the error
/// says which moved, which did not, and that a rerun completes it (issue 13).
/// </summary>
[Trait("Category", "Registry")]
public sealed class PartialTagMoveTests
{
    /// <summary>Answers 500 to every PUT of one tag, passing everything else to the real registry.</summary>
    private sealed class FailingTag(string tag) : DelegatingHandler(new SocketsHttpHandler())
    {
        public bool Enabled = true;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Enabled && request.Method == HttpMethod.Put
                && request.RequestUri!.AbsolutePath.EndsWith($"/manifests/{tag}", StringComparison.Ordinal)
                ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StringContent("") })
                : base.SendAsync(request, cancellationToken);
    }

    [SkippableFact]
    public async Task A_500_on_latest_names_the_tags_that_moved_and_the_ones_that_did_not_and_a_rerun_completes_it()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var registry = await RegistryProcess.StartAsync();
        using var wire = new FailingTag("latest");
        using var client = registry.CreateClient(new RegistryClientOptions { InnerHandler = wire, Retry = RetryPolicy.None });
        var sources = await TestImages.PushPlatformsAsync(client, "demo/app", Two);

        var failure = await Record.ExceptionAsync(() => new ManifestMerger(client).MergeAsync(Request(client, "demo/app", sources)));

        var message = failure.Should().BeOfType<OciRegistryException>().Which.Message;
        message.Should().Contain("latest").And.Contain("HTTP 500")
            .And.Contain("moved to the new index: 1.2.3, 1.2, 1 (sha256:").And.Contain("not moved: latest.")
            .And.Contain("Run MergeManifest again").And.NotContain("\n");
        var index = await TagDigestAsync(client, "demo/app", "1.2.3");
        (await TagDigestAsync(client, "demo/app", "1")).Should().Be(index);
        (await TagDigestAsync(client, "demo/app", "latest")).Should().BeNull();

        wire.Enabled = false;
        var rerun = await new ManifestMerger(client).MergeAsync(Request(client, "demo/app", sources));

        rerun.Digest.Should().Be(index);
        rerun.TagsPushed.Should().Equal("latest");
        rerun.TagsUnchanged.Should().Equal("1.2.3", "1.2", "1");
    }
}
