using MultiArch.Oci;

namespace MultiArch.Ghcr;

/// <summary>What protection needs to know about one manifest: the manifests it keeps alive and the one it refers to.</summary>
/// <param name="Digest">The manifest's digest.</param>
/// <param name="Children">For an index, its child manifests (images, attestations, nested indexes); empty otherwise.</param>
/// <param name="Subject">The <c>subject</c> digest of a referrer (signature, SBOM, attestation), or null.</param>
internal sealed record ManifestFacts(string Digest, IReadOnlyList<Descriptor> Children, string? Subject)
{
    /// <summary>Reads the facts from a manifest's exact bytes.</summary>
    public static ManifestFacts From(ManifestDocument document)
    {
        if (document.IsIndex)
        {
            var index = document.AsIndex();
            return new(document.Digest.ToString(), index.Manifests, index.Subject?.Digest.ToString());
        }
        var image = document.AsImage();
        return new(document.Digest.ToString(), [], image.Subject?.Digest.ToString());
    }
}
