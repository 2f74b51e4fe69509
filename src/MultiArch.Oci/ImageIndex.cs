using System.Text.Json;

namespace MultiArch.Oci;

/// <summary>A multi-platform index (OCI image index or Docker manifest list).</summary>
/// <param name="MediaType">The index's media type.</param>
/// <param name="Manifests">The child manifests, each usually with a platform.</param>
public sealed record ImageIndex(string MediaType, IReadOnlyList<Descriptor> Manifests)
{
    /// <summary>The manifest this index refers to (OCI 1.1 referrers), or null.</summary>
    public Descriptor? Subject { get; init; }

    /// <summary>Index annotations such as <c>org.opencontainers.image.description</c>, or null.</summary>
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>Reads an index from its exact bytes.</summary>
    /// <exception cref="FormatException">The bytes are not an index.</exception>
    public static ImageIndex Parse(ReadOnlySpan<byte> json, string? mediaType = null)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var root = document.RootElement;
        mediaType ??= root.TryGetProperty("mediaType", out var m) ? m.GetString() : MediaTypes.OciIndex;
        if (!root.TryGetProperty("manifests", out var list) || list.ValueKind != JsonValueKind.Array)
            throw new FormatException("The document is not an index: it has no manifests list.");
        return new ImageIndex(mediaType ?? MediaTypes.OciIndex,
            list.EnumerateArray().Select(x => Descriptor.Read(x, "manifests")).ToList())
        {
            Subject = root.TryGetProperty("subject", out var s) ? Descriptor.Read(s, "subject") : null,
            Annotations = Descriptor.ReadAnnotations(root),
        };
    }

    /// <summary>
    /// Serializes with a fixed field order and no white space, so equal indexes give equal bytes and digests.
    /// </summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Descriptor.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", MediaType);
            writer.WriteStartArray("manifests");
            foreach (var manifest in Manifests) manifest.Write(writer);
            writer.WriteEndArray();
            if (Subject is not null)
            {
                writer.WritePropertyName("subject");
                Subject.Write(writer);
            }
            Descriptor.WriteAnnotations(writer, Annotations);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
