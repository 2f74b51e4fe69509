namespace MultiArch.Oci;

/// <summary>What to merge: per-platform images (by digest) into one index in <see cref="Target"/>'s repository.</summary>
/// <param name="Target">Registry and repository of the multi-arch image (any tag or digest on it is ignored).</param>
/// <param name="Platforms">The platforms the result must contain, each exactly once.</param>
/// <param name="Sources">The per-platform digests, e.g. from <see cref="DigestDirectory.Read"/>.</param>
public sealed record MergeRequest(ImageReference Target, IReadOnlyList<Platform> Platforms, IReadOnlyList<DigestRecord> Sources)
{
    /// <summary>
    /// Tags to point at the index, e.g. from <see cref="TagRules.For(string, string?, IEnumerable{string}?)"/>.
    /// Empty: push by digest only.
    /// </summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Index annotations, typically <c>org.opencontainers.image.*</c> (description, source, revision, ...).</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>Keep BuildKit's attestation manifests (SBOM, provenance) of sources that are indexes.</summary>
    public bool KeepAttestations { get; init; }

    /// <summary>Check everything and build the index, but push nothing.</summary>
    public bool DryRun { get; init; }
}
