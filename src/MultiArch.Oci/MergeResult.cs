using System.Text;

namespace MultiArch.Oci;

/// <summary>One platform of a merged index.</summary>
/// <param name="Platform">The platform (as read from the image config).</param>
/// <param name="Digest">The image manifest's digest.</param>
/// <param name="MediaType">The image manifest's media type.</param>
/// <param name="Size">The image manifest's size in bytes.</param>
public sealed record MergedPlatform(Platform Platform, Digest Digest, string MediaType, long Size);

/// <summary>The outcome of a merge.</summary>
/// <param name="Reference">The image with its first tag and the index digest, e.g. <c>ghcr.io/acme/app:1.4.0@sha256:…</c>.</param>
/// <param name="MediaType">OCI image index, or Docker manifest list.</param>
/// <param name="IndexBytes">The exact bytes of the index.</param>
/// <param name="Platforms">Platform to digest, sorted by platform.</param>
/// <param name="TagsPushed">Tags that were (re)pointed at the index.</param>
/// <param name="TagsUnchanged">Tags that already pointed at the index and were not pushed again.</param>
/// <param name="DryRun">True when nothing was pushed.</param>
/// <param name="Traffic">Requests and bytes this merge used (auth and retries included).</param>
public sealed record MergeResult(ImageReference Reference, string MediaType, ReadOnlyMemory<byte> IndexBytes,
    IReadOnlyList<MergedPlatform> Platforms, IReadOnlyList<string> TagsPushed, IReadOnlyList<string> TagsUnchanged,
    bool DryRun, RegistryTraffic Traffic)
{
    /// <summary>The index digest.</summary>
    public Digest Digest => Reference.Digest!;

    /// <summary>The index as text (what <c>--dry-run</c> prints).</summary>
    public string IndexJson => Encoding.UTF8.GetString(IndexBytes.Span);

    /// <summary>Attestation manifests kept in the index.</summary>
    public int Attestations { get; init; }
}
