using System.Text;
using MultiArch.Testing;

namespace MultiArch.Oci.Tests;

/// <summary>Helpers shared by the merge tests: push per-platform images, merge, and verify with skopeo.</summary>
internal static class MergeFixture
{
    public static readonly Platform[] Two = [Platform.LinuxAmd64, Platform.LinuxArm64];

    public static MergeRequest Request(RegistryClient client, string repository, IReadOnlyList<DigestRecord> sources,
        IEnumerable<Platform>? platforms = null, string version = "1.2.3") =>
        new(ImageReference.Create(client.Registry, repository),
            (platforms ?? sources.Select(s => s.Platform!)).ToList(), sources)
        {
            Tags = TagRules.For(version),
        };

    /// <summary>What skopeo (a different client) sees at a tag: the index, then each child by digest.</summary>
    public static async Task<ImageIndex> VerifyWithSkopeoAsync(RegistryProcess registry, string repository, string tag,
        Digest expected, IEnumerable<Platform> platforms)
    {
        var raw = await Skopeo.InspectRawAsync($"{registry.Host}/{repository}:{tag}", registry.Credentials);
        Digest.Compute(Encoding.UTF8.GetBytes(raw)).Should().Be(expected, $"tag {tag} must point at the merged index");
        var index = ImageIndex.Parse(Encoding.UTF8.GetBytes(raw));
        index.Manifests.Where(m => !m.IsAttestation).Select(m => m.Platform).Should().BeEquivalentTo(platforms);
        foreach (var child in index.Manifests)
        {
            var childRaw = await Skopeo.InspectRawAsync($"{registry.Host}/{repository}@{child.Digest}", registry.Credentials);
            Digest.Compute(Encoding.UTF8.GetBytes(childRaw)).Should().Be(child.Digest);
        }
        return index;
    }

    public static async Task<Digest?> TagDigestAsync(RegistryClient client, string repository, string tag) =>
        (await client.HeadManifestAsync(repository, tag))?.Digest;
}
