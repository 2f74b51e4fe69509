using System.Text.Json;

namespace MultiArch.Oci;

/// <summary>A content descriptor: what a manifest says about a blob or a child manifest.</summary>
/// <param name="MediaType">Media type of the referenced content.</param>
/// <param name="Digest">Digest of the referenced content.</param>
/// <param name="Size">Size of the referenced content in bytes.</param>
public sealed record Descriptor(string MediaType, Digest Digest, long Size)
{
    /// <summary>The platform of a child manifest inside an index, or null.</summary>
    public Platform? Platform { get; init; }

    /// <summary>Annotations, or null when there are none.</summary>
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>The artifact type, or null.</summary>
    public string? ArtifactType { get; init; }

    /// <summary>
    /// True for an attestation manifest (SBOM/provenance) that BuildKit puts next to images:
    /// platform <c>unknown/unknown</c> or the <c>vnd.docker.reference.type</c> annotation.
    /// </summary>
    public bool IsAttestation =>
        Platform?.IsUnknown == true ||
        Annotations?.ContainsKey(Oci.Annotations.DockerReferenceType) == true;

    /// <summary>
    /// Writer settings for manifests: no escaping of '+' in media types (other tools write it plainly, and
    /// readers compare the bytes we produce with theirs).
    /// </summary>
    internal static JsonWriterOptions WriterOptions { get; } =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Reads a descriptor object; unknown platforms become <see cref="Oci.Platform.Unknown"/>-like values only
    /// for unknown/unknown.
    /// </summary>
    internal static Descriptor Read(JsonElement element, string context)
    {
        var mediaType = element.TryGetProperty("mediaType", out var m) ? m.GetString() ?? "" : "";
        if (!element.TryGetProperty("digest", out var d) || !Digest.TryParse(d.GetString(), out var digest))
            throw new FormatException($"{context}: a descriptor has no valid digest.");
        var size = element.TryGetProperty("size", out var s) && s.TryGetInt64(out var sz) ? sz : -1;
        Platform? platform = null;
        if (element.TryGetProperty("platform", out var p) && p.ValueKind == JsonValueKind.Object)
        {
            var os = p.TryGetProperty("os", out var o) ? o.GetString() ?? "" : "";
            var arch = p.TryGetProperty("architecture", out var a) ? a.GetString() ?? "" : "";
            var variant = p.TryGetProperty("variant", out var v) ? v.GetString() : null;
            platform = Platform.Create(os, arch, variant);
        }
        return new Descriptor(mediaType, digest, size)
        {
            Platform = platform,
            Annotations = ReadAnnotations(element),
            ArtifactType = element.TryGetProperty("artifactType", out var t) ? t.GetString() : null,
        };
    }

    internal static IReadOnlyDictionary<string, string>? ReadAnnotations(JsonElement element)
    {
        if (!element.TryGetProperty("annotations", out var a) || a.ValueKind != JsonValueKind.Object) return null;
        return a.EnumerateObject().ToDictionary(x => x.Name, x => x.Value.GetString() ?? "", StringComparer.Ordinal);
    }

    /// <summary>Writes the descriptor with a fixed field order so the bytes are deterministic.</summary>
    internal void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("mediaType", MediaType);
        if (ArtifactType is not null) writer.WriteString("artifactType", ArtifactType);
        writer.WriteString("digest", Digest.ToString());
        writer.WriteNumber("size", Size);
        WriteAnnotations(writer, Annotations);
        if (Platform is not null)
        {
            writer.WriteStartObject("platform");
            writer.WriteString("architecture", Platform.Architecture);
            writer.WriteString("os", Platform.Os);
            if (Platform.Variant is not null) writer.WriteString("variant", Platform.Variant);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    internal static void WriteAnnotations(Utf8JsonWriter writer, IReadOnlyDictionary<string, string>? annotations)
    {
        if (annotations is null || annotations.Count == 0) return;
        writer.WriteStartObject("annotations");
        foreach (var (key, value) in annotations.OrderBy(x => x.Key, StringComparer.Ordinal))
            writer.WriteString(key, value);
        writer.WriteEndObject();
    }
}
