using System.Globalization;

namespace MultiArch.Oci.Mirroring;

/// <summary>What mirroring an index to one registry did, or why it failed there.</summary>
/// <param name="Target">The mirror, <c>registry/repository</c>.</param>
/// <param name="Digest">The index digest (the same in every registry).</param>
public sealed record MirrorResult(string Target, Digest Digest)
{
    /// <summary>Blobs the destination got by a cross-repository mount (no bytes uploaded).</summary>
    public int BlobsMounted { get; init; }

    /// <summary>Blobs streamed from the source registry to the destination.</summary>
    public int BlobsCopied { get; init; }

    /// <summary>Blobs the destination already had (found by <c>HEAD</c>).</summary>
    public int BlobsSkipped { get; init; }

    /// <summary>Blob bytes uploaded to the destination (the sizes of the copied blobs).</summary>
    public long BytesUploaded { get; init; }

    /// <summary>Manifests pushed by digest (per-platform images, attestations, referrers, and the index).</summary>
    public int ManifestsPushed { get; init; }

    /// <summary>Manifests the destination already had.</summary>
    public int ManifestsPresent { get; init; }

    /// <summary>Referrers (provenance, SBOM, signatures) copied with their subjects.</summary>
    public int Referrers { get; init; }

    /// <summary>Tags pointed at the index (those that already did are not pushed again and not listed).</summary>
    public IReadOnlyList<string> TagsPushed { get; init; } = [];

    /// <summary>Tags that already pointed at the index.</summary>
    public IReadOnlyList<string> TagsUnchanged { get; init; } = [];

    /// <summary>Everything the destination's client sent and received for this mirror.</summary>
    public RegistryTraffic Traffic { get; init; } = RegistryTraffic.Zero;

    /// <summary>Why this mirror failed, or null when it succeeded.</summary>
    public string? Error { get; init; }

    /// <summary>True when the index and all its tags are in place.</summary>
    public bool Succeeded => Error is null;

    /// <summary>One line for the build summary.</summary>
    public override string ToString()
    {
        var counts = $"{BlobsCopied} blobs copied ({Size(BytesUploaded)}), {BlobsMounted} mounted, {BlobsSkipped} already there; " +
                     $"{ManifestsPushed} manifests pushed, {ManifestsPresent} already there";
        var tags = TagsPushed.Count + TagsUnchanged.Count == 0 ? "by digest only"
            : $"tags {string.Join(", ", TagsPushed.Concat(TagsUnchanged))}";
        return Succeeded
            ? $"{Target}@{Digest}: ok, {counts}; {tags}"
            : $"{Target}: FAILED ({Error}); {counts}; " +
                $"{(TagsPushed.Count == 0 ? "no tag moved" : $"tags moved to the complete index: {string.Join(", ", TagsPushed)}")}";
    }

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
    };
}
