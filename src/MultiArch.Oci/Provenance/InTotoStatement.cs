using System.Text.Json;
using System.Text.Json.Serialization;

namespace MultiArch.Oci.Provenance;

// Field names follow the in-toto Statement layer v1 (https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md:
// "_type" always https://in-toto.io/Statement/v1, "subject" a required array of ResourceDescriptors each with "digest",
// "predicateType" required, "predicate" an object) and SLSA Provenance v1 (https://slsa.dev/spec/v1.0/provenance:
// predicate.buildDefinition {buildType, externalParameters, internalParameters, resolvedDependencies} and
// predicate.runDetails {builder {id}, metadata {invocationId, startedOn, finishedOn}}).

/// <summary>An in-toto Statement v1 carrying a SLSA v1 provenance predicate.</summary>
/// <param name="Subject">The artifacts the statement is about (here: per-arch image manifests).</param>
/// <param name="Predicate">The provenance.</param>
public sealed record InTotoStatement(
    [property: JsonPropertyName("subject"), JsonPropertyOrder(-1)] IReadOnlyList<ResourceDescriptor> Subject,
    [property: JsonPropertyName("predicate"), JsonPropertyOrder(2)] SlsaProvenance Predicate)
{
    /// <summary>The statement schema, <c>https://in-toto.io/Statement/v1</c>.</summary>
    public const string StatementType = "https://in-toto.io/Statement/v1";

    /// <summary>The SLSA provenance predicate type, <c>https://slsa.dev/provenance/v1</c>.</summary>
    public const string SlsaProvenanceType = "https://slsa.dev/provenance/v1";

    /// <summary>The media type of a statement blob and the artifact type of its referrer manifest.</summary>
    public const string MediaType = "application/vnd.in-toto+json";

    /// <summary>Always <see cref="StatementType"/>.</summary>
    [JsonPropertyName("_type"), JsonPropertyOrder(-2)]
    public string Type => StatementType;

    /// <summary>Always <see cref="SlsaProvenanceType"/>.</summary>
    [JsonPropertyName("predicateType"), JsonPropertyOrder(1)]
    public string PredicateType => SlsaProvenanceType;

    /// <summary>
    /// The statement as compact UTF-8 JSON: fixed property order, maps sorted by key, no nulls, so the same inputs
    /// give the same bytes and so the same blob digest.
    /// </summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, SerializerOptions);

    /// <summary>Reads a statement written by <see cref="ToJson"/> (or any in-toto v1 SLSA v1 statement).</summary>
    /// <exception cref="FormatException">The bytes are not an in-toto v1 statement with a SLSA v1 predicate.</exception>
    public static InTotoStatement Parse(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var root = document.RootElement;
        var type = root.TryGetProperty("_type", out var t) ? t.GetString() : null;
        if (type != StatementType)
            throw new FormatException($"The document is not an in-toto Statement v1: _type is '{type}', expected {StatementType}.");
        var predicateType = root.TryGetProperty("predicateType", out var p) ? p.GetString() : null;
        if (predicateType != SlsaProvenanceType)
            throw new FormatException($"The statement is not SLSA provenance v1: predicateType is '{predicateType}', " +
                $"expected {SlsaProvenanceType}.");
        return root.Deserialize<InTotoStatement>(SerializerOptions)
               ?? throw new FormatException("The statement is empty.");
    }

    internal static JsonSerializerOptions SerializerOptions { get; } = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new SortedMapConverter() },
    };

    /// <summary>Writes string maps in ordinal key order: dictionaries have no stable order of their own.</summary>
    private sealed class SortedMapConverter : JsonConverter<IReadOnlyDictionary<string, string>>
    {
        public override IReadOnlyDictionary<string, string> Read(ref Utf8JsonReader reader, Type typeToConvert,
            JsonSerializerOptions options) =>
            JsonSerializer.Deserialize<Dictionary<string, string>>(ref reader) ?? new Dictionary<string, string>();

        public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            foreach (var (key, item) in value.OrderBy(x => x.Key, StringComparer.Ordinal)) writer.WriteString(key, item);
            writer.WriteEndObject();
        }
    }
}

/// <summary>An in-toto ResourceDescriptor: an artifact named by digest, with an optional name and URI.</summary>
/// <param name="Name">A name for the artifact, e.g. an image reference, or null.</param>
/// <param name="Uri">Where the artifact lives, e.g. <c>git+https://github.com/o/r@refs/heads/main</c>, or null.</param>
/// <param name="Digest">Algorithm → hex, e.g. <c>sha256</c> or <c>gitCommit</c>.</param>
public sealed record ResourceDescriptor(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("uri")] string? Uri,
    [property: JsonPropertyName("digest")] IReadOnlyDictionary<string, string> Digest)
{
    /// <summary>A descriptor for OCI content by its sha256 digest.</summary>
    public static ResourceDescriptor ForDigest(string name, Oci.Digest digest, string? uri = null) =>
        new(name, uri, new Dictionary<string, string> { [digest.Algorithm] = digest.Hex });
}

/// <summary>The SLSA v1 provenance predicate.</summary>
public sealed record SlsaProvenance(
    [property: JsonPropertyName("buildDefinition")] BuildDefinition BuildDefinition,
    [property: JsonPropertyName("runDetails")] RunDetails RunDetails);

/// <summary>What was built and from what: the inputs a rebuild needs.</summary>
/// <param name="BuildType">URI naming how to read the parameters (here: MultiArch's per-arch Docker build).</param>
/// <param name="ExternalParameters">The user-controlled inputs: Dockerfile, platform, workflow, build arguments.</param>
/// <param name="ResolvedDependencies">The source (repository at a commit) and the base images, by digest.</param>
public sealed record BuildDefinition(
    [property: JsonPropertyName("buildType")] string BuildType,
    [property: JsonPropertyName("externalParameters")] ExternalParameters ExternalParameters,
    [property: JsonPropertyName("resolvedDependencies")] IReadOnlyList<ResourceDescriptor> ResolvedDependencies);

/// <summary>The external parameters of a MultiArch per-arch build.</summary>
/// <param name="Platform">The target platform, e.g. <c>linux/arm64</c>.</param>
/// <param name="Dockerfile">The Dockerfile, relative to the repository root.</param>
/// <param name="Context">The build context, relative to the repository root.</param>
/// <param name="Workflow">The CI workflow that ran the build (e.g. <c>.github/workflows/build.yml</c>), or null for a local build.</param>
/// <param name="BuildArgs">The build arguments, secrets already replaced by <see cref="BuildArgRedaction.Marker"/>.</param>
public sealed record ExternalParameters(
    [property: JsonPropertyName("platform")] string Platform,
    [property: JsonPropertyName("dockerfile")] string Dockerfile,
    [property: JsonPropertyName("context")] string Context,
    [property: JsonPropertyName("workflow")] string? Workflow,
    [property: JsonPropertyName("buildArgs")] IReadOnlyDictionary<string, string> BuildArgs);

/// <summary>Who ran the build and which run it was.</summary>
public sealed record RunDetails(
    [property: JsonPropertyName("builder")] Builder Builder,
    [property: JsonPropertyName("metadata")] BuildMetadata Metadata);

/// <summary>The build platform, identified by a URI.</summary>
/// <param name="Id">E.g. the workflow's URL on GitHub, or <c>https://github.com/multiarch/local</c> for a local run.</param>
public sealed record Builder([property: JsonPropertyName("id")] string Id);

/// <summary>This run of the build.</summary>
/// <param name="InvocationId">A run identifier, e.g. the GitHub Actions run URL with its attempt.</param>
/// <param name="StartedOn">When the build started (RFC 3339, UTC), or null.</param>
/// <param name="FinishedOn">When the build finished (RFC 3339, UTC), or null.</param>
public sealed record BuildMetadata(
    [property: JsonPropertyName("invocationId")] string InvocationId,
    [property: JsonPropertyName("startedOn")] string? StartedOn = null,
    [property: JsonPropertyName("finishedOn")] string? FinishedOn = null);
