using System.Text.Json;

namespace MultiArch.Oci;

/// <summary>The parts of an image config blob that say which platform the image is for.</summary>
public static class ImageConfig
{
    /// <summary>Reads <c>os</c>, <c>architecture</c> and <c>variant</c> from a config blob.</summary>
    /// <exception cref="FormatException">The blob is not an image config.</exception>
    public static Platform ReadPlatform(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var os = root.TryGetProperty("os", out var o) ? o.GetString() : null;
        var arch = root.TryGetProperty("architecture", out var a) ? a.GetString() : null;
        if (string.IsNullOrEmpty(os) || string.IsNullOrEmpty(arch))
            throw new FormatException("The config blob has no os/architecture.");
        return Platform.Create(os, arch, root.TryGetProperty("variant", out var v) ? v.GetString() : null);
    }

    /// <summary>Reads <c>config.Labels</c> from a config blob (empty when it has none).</summary>
    /// <exception cref="JsonException">The blob is not JSON.</exception>
    public static IReadOnlyDictionary<string, string> ReadLabels(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (document.RootElement.TryGetProperty("config", out var config) && config.ValueKind == JsonValueKind.Object
            && config.TryGetProperty("Labels", out var found) && found.ValueKind == JsonValueKind.Object)
            foreach (var label in found.EnumerateObject())
                if (label.Value.ValueKind == JsonValueKind.String) labels[label.Name] = label.Value.GetString()!;
        return labels;
    }

    /// <summary>A minimal valid config for a platform (used to create test, benchmark and probe images).</summary>
    /// <param name="platform">The platform it is for.</param>
    /// <param name="diffIds">The uncompressed layers' digests, in order.</param>
    /// <param name="created">The <c>created</c> time, when the image should carry one (a fixed one keeps its ID stable).</param>
    /// <param name="writeConfig">Writes the members of the <c>config</c> object (Entrypoint, Labels, ...); null leaves it empty.</param>
    public static byte[] Create(Platform platform, IEnumerable<Digest> diffIds, DateTimeOffset? created = null,
        Action<Utf8JsonWriter>? writeConfig = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Descriptor.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("architecture", platform.Architecture);
            writer.WriteString("os", platform.Os);
            if (platform.Variant is not null) writer.WriteString("variant", platform.Variant);
            if (created is { } time) writer.WriteString("created", time.ToString("yyyy-MM-ddTHH:mm:ssZ"));
            writer.WriteStartObject("config");
            writeConfig?.Invoke(writer);
            writer.WriteEndObject();
            writer.WriteStartObject("rootfs");
            writer.WriteString("type", "layers");
            writer.WriteStartArray("diff_ids");
            foreach (var id in diffIds) writer.WriteStringValue(id.ToString());
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
