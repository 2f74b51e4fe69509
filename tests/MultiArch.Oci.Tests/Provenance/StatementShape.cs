using System.Text.Json;

namespace MultiArch.Oci.Tests.Provenance;

/// <summary>
/// The required fields and JSON types of an in-toto Statement v1
/// (https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md) carrying SLSA Provenance v1
/// (https://slsa.dev/spec/v1.0/provenance), written from the specs independently of the producer.
/// </summary>
internal static class StatementShape
{
    /// <summary>Every way <paramref name="json"/> departs from the two shapes; empty when it conforms.</summary>
    public static IReadOnlyList<string> Violations(ReadOnlySpan<byte> json)
    {
        var errors = new List<string>();
        using var document = JsonDocument.Parse(json.ToArray());
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) return ["statement is not an object"];
        Expect(root, "_type", "https://in-toto.io/Statement/v1", errors);
        Expect(root, "predicateType", "https://slsa.dev/provenance/v1", errors);
        if (Required(root, "subject", JsonValueKind.Array, errors) is { } subjects)
        {
            if (subjects.GetArrayLength() == 0) errors.Add("subject is empty");
            foreach (var subject in subjects.EnumerateArray()) ResourceDescriptor(subject, "subject[]", requireDigest: true, errors);
        }
        if (Required(root, "predicate", JsonValueKind.Object, errors) is not { } predicate) return errors;
        if (Required(predicate, "buildDefinition", JsonValueKind.Object, errors) is { } definition)
        {
            Required(definition, "buildType", JsonValueKind.String, errors);
            Required(definition, "externalParameters", JsonValueKind.Object, errors);
            Optional(definition, "internalParameters", JsonValueKind.Object, errors);
            if (Optional(definition, "resolvedDependencies", JsonValueKind.Array, errors) is { } dependencies)
                foreach (var dependency in dependencies.EnumerateArray())
                    ResourceDescriptor(dependency, "resolvedDependencies[]", requireDigest: false, errors);
        }
        if (Required(predicate, "runDetails", JsonValueKind.Object, errors) is { } run)
        {
            if (Required(run, "builder", JsonValueKind.Object, errors) is { } builder)
                Required(builder, "id", JsonValueKind.String, errors);
            if (Optional(run, "metadata", JsonValueKind.Object, errors) is { } metadata)
            {
                Optional(metadata, "invocationId", JsonValueKind.String, errors);
                foreach (var time in new[] { "startedOn", "finishedOn" })
                    if (Optional(metadata, time, JsonValueKind.String, errors) is { } t &&
                        !DateTimeOffset.TryParse(t.GetString(), out _))
                        errors.Add($"{time} is not a timestamp");
            }
        }
        return errors;
    }

    // A ResourceDescriptor needs at least one of uri, digest, content; a DigestSet maps algorithm to a string.
    private static void ResourceDescriptor(JsonElement element, string where, bool requireDigest, List<string> errors)
    {
        if (element.ValueKind != JsonValueKind.Object) { errors.Add($"{where} is not an object"); return; }
        Optional(element, "name", JsonValueKind.String, errors);
        Optional(element, "uri", JsonValueKind.String, errors);
        var digest = requireDigest ? Required(element, "digest", JsonValueKind.Object, errors)
            : Optional(element, "digest", JsonValueKind.Object, errors);
        if (digest is { } set)
        {
            if (!set.EnumerateObject().Any()) errors.Add($"{where}.digest is empty");
            foreach (var entry in set.EnumerateObject())
                if (entry.Value.ValueKind != JsonValueKind.String || !entry.Value.GetString()!.All(Uri.IsHexDigit))
                    errors.Add($"{where}.digest.{entry.Name} is not a hex string");
        }
        else if (!requireDigest && !element.TryGetProperty("uri", out _)) errors.Add($"{where} has neither uri nor digest");
    }

    private static void Expect(JsonElement parent, string name, string value, List<string> errors)
    {
        if (Required(parent, name, JsonValueKind.String, errors) is { } e && e.GetString() != value)
            errors.Add($"{name} is '{e.GetString()}', expected {value}");
    }

    private static JsonElement? Required(JsonElement parent, string name, JsonValueKind kind, List<string> errors)
    {
        if (!parent.TryGetProperty(name, out var value)) { errors.Add($"{name} is missing"); return null; }
        if (value.ValueKind != kind) { errors.Add($"{name} is {value.ValueKind}, expected {kind}"); return null; }
        return value;
    }

    private static JsonElement? Optional(JsonElement parent, string name, JsonValueKind kind, List<string> errors) =>
        parent.TryGetProperty(name, out _) ? Required(parent, name, kind, errors) : null;
}
