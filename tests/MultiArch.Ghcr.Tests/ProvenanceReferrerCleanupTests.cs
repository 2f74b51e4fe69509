using MultiArch.Oci;
using MultiArch.Oci.Provenance;

namespace MultiArch.Ghcr.Tests;

[Trait("Category", "Registry")]
public sealed class ProvenanceReferrerCleanupTests
{
    [SkippableFact]
    public async Task Cleanup_keeps_the_provenance_referrers_of_a_tagged_images_platforms()
    {
        await using var scenario = await CleanupScenario.StartAsync();
        var repository = scenario.Repository.Repository;
        var release = await scenario.Client.GetManifestAsync(repository, "1.0");
        var kept = new List<string>();
        foreach (var child in release.AsIndex().Manifests.Where(m => !m.IsAttestation))
        {
            // What --attest provenance pushes: an untagged referrer of the per-arch image, listed in the sha256-<hex> index.
            var statement = new ProvenanceInputs(ImageReference.Parse(scenario.Image), child.Digest, child.Platform!, "Dockerfile", ".",
                "https://github.com/acme/app", "0123456789abcdef0123456789abcdef01234567",
                "https://github.com/acme/app/.github/workflows/build.yml@refs/heads/main", "run-1").ToStatement();
            var referrer = await ReferrerPublisher.AttachAsync(scenario.Client, repository, child with { Platform = null },
                statement.ToJson(), InTotoStatement.MediaType);
            var fallbackTag = ReferrerPublisher.FallbackTag(child.Digest);
            var fallback = await scenario.Client.HeadManifestAsync(repository, fallbackTag);
            scenario.Api.AddVersion(CleanupScenario.Owner, scenario.Package, referrer.Digest.ToString(), DateTimeOffset.UtcNow.AddDays(-2));
            scenario.Api.AddVersion(CleanupScenario.Owner, scenario.Package, fallback!.Digest.ToString(),
                DateTimeOffset.UtcNow.AddDays(-2), fallbackTag);
            kept.Add(referrer.Digest.ToString());
        }

        var report = await UntaggedCleaner.RunAsync(scenario.Request(new StringWriter()));

        report.Outcome.Should().Be(CleanupOutcome.Completed);
        report.Deleted.Select(d => d.Digest).Should().BeEquivalentTo(scenario.Orphans);
        kept.Should().HaveCount(2);
        foreach (var digest in kept) (await scenario.Repository.ExistsAsync(digest)).Should().BeTrue(digest);
        scenario.Api.Versions(CleanupScenario.Owner, scenario.Package).Select(v => v.Digest).Should().Contain(kept);
    }
}
