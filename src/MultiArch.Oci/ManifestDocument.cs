using System.Text.Json;

namespace MultiArch.Oci;

/// <summary>
/// A manifest exactly as the registry stores it: its bytes, media type and digest. The bytes are kept
/// untouched because re-serializing would change the digest.
/// </summary>
/// <param name="MediaType">The media type (from Content-Type, else from the document).</param>
/// <param name="Digest">The sha256 of <paramref name="Bytes"/>.</param>
/// <param name="Bytes">The exact bytes.</param>
public sealed record ManifestDocument(string MediaType, Digest Digest, ReadOnlyMemory<byte> Bytes)
{
    /// <summary>True for an index or manifest list.</summary>
    public bool IsIndex => MediaTypes.IsIndex(MediaType);

    /// <summary>A descriptor pointing at this manifest.</summary>
    public Descriptor ToDescriptor(Platform? platform = null) => new(MediaType, Digest, Bytes.Length) { Platform = platform };

    /// <summary>Reads the bytes as an image manifest.</summary>
    public ImageManifest AsImage() => ImageManifest.Parse(Bytes.Span, MediaType);

    /// <summary>Reads the bytes as an index.</summary>
    public ImageIndex AsIndex() => ImageIndex.Parse(Bytes.Span, MediaType);

    /// <summary>Wraps bytes, hashing them and working out the media type when none is given.</summary>
    public static ManifestDocument FromBytes(ReadOnlyMemory<byte> bytes, string? mediaType = null) =>
        new(mediaType is { Length: > 0 } && MediaTypes.AllManifests.Contains(mediaType) ? mediaType : Detect(bytes.Span),
            Digest.Compute(bytes.Span), bytes);

    /// <summary>The media type a manifest declares, or what its shape says when it declares none (OCI allows that).</summary>
    public static string Detect(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.TryGetProperty("mediaType", out var m) && m.GetString() is { Length: > 0 } declared) return declared;
        return root.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex : MediaTypes.OciManifest;
    }
}
