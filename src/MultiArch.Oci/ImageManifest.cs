using System.Text.Json;

namespace MultiArch.Oci;

/// <summary>A single-platform image manifest (OCI image manifest or Docker schema 2).</summary>
/// <param name="MediaType">The manifest's media type.</param>
/// <param name="Config">The config blob descriptor.</param>
/// <param name="Layers">The layer descriptors, base first.</param>
public sealed record ImageManifest(string MediaType, Descriptor Config, IReadOnlyList<Descriptor> Layers)
{
    /// <summary>The manifest this one refers to (OCI 1.1 referrers), or null.</summary>
    public Descriptor? Subject { get; init; }

    /// <summary>The artifact type (OCI 1.1), or null.</summary>
    public string? ArtifactType { get; init; }

    /// <summary>Manifest annotations, or null.</summary>
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>Reads a manifest from its exact bytes.</summary>
    /// <exception cref="FormatException">The bytes are not an image manifest.</exception>
    public static ImageManifest Parse(ReadOnlySpan<byte> json, string? mediaType = null)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var root = document.RootElement;
        mediaType ??= root.TryGetProperty("mediaType", out var m) ? m.GetString() : MediaTypes.OciManifest;
        if (!root.TryGetProperty("config", out var config))
            throw new FormatException("The document is not an image manifest: it has no config.");
        var layers = root.TryGetProperty("layers", out var l) && l.ValueKind == JsonValueKind.Array
            ? l.EnumerateArray().Select(x => Descriptor.Read(x, "layers")).ToList()
            : [];
        return new ImageManifest(mediaType ?? MediaTypes.OciManifest, Descriptor.Read(config, "config"), layers)
        {
            Subject = root.TryGetProperty("subject", out var s) ? Descriptor.Read(s, "subject") : null,
            ArtifactType = root.TryGetProperty("artifactType", out var t) ? t.GetString() : null,
            Annotations = Descriptor.ReadAnnotations(root),
        };
    }

    /// <summary>Serializes with a fixed field order; the result is what gets pushed and hashed.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Descriptor.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", MediaType);
            if (ArtifactType is not null) writer.WriteString("artifactType", ArtifactType);
            writer.WritePropertyName("config");
            Config.Write(writer);
            writer.WriteStartArray("layers");
            foreach (var layer in Layers) layer.Write(writer);
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
