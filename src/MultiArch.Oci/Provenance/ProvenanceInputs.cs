namespace MultiArch.Oci.Provenance;

/// <summary>What a provenance statement records about one per-arch image build.</summary>
/// <param name="Image">The image repository, e.g. <c>ghcr.io/acme/app</c> (the subject's name).</param>
/// <param name="ImageDigest">The per-arch image manifest digest (the subject's digest).</param>
/// <param name="Platform">The platform built.</param>
/// <param name="Dockerfile">The Dockerfile, relative to the repository root.</param>
/// <param name="Context">The build context, relative to the repository root.</param>
/// <param name="Source">The source repository URL, e.g. <c>https://github.com/acme/app</c>.</param>
/// <param name="Commit">The full commit sha the image was built from.</param>
/// <param name="BuilderId">The builder's URI (see <see cref="Builder"/>).</param>
/// <param name="InvocationId">This run's identifier.</param>
public sealed record ProvenanceInputs(
    ImageReference Image, Digest ImageDigest, Platform Platform, string Dockerfile, string Context,
    string Source, string Commit, string BuilderId, string InvocationId)
{
    /// <summary>The buildType URI of MultiArch's per-arch Docker build.</summary>
    public const string BuildType = "https://github.com/multiarch/multiarch/per-arch-docker-build/v1";

    /// <summary>The CI workflow file, or null for a local build.</summary>
    public string? Workflow { get; init; }

    /// <summary>The git ref built, e.g. <c>refs/heads/main</c>, or null.</summary>
    public string? Ref { get; init; }

    /// <summary>The build arguments as given (secrets are redacted when the statement is made).</summary>
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    /// <summary>The values of the build's secrets, to redact wherever they appear in a build argument.</summary>
    public IReadOnlyList<string> SecretValues { get; init; } = [];

    /// <summary>The base images (FROM lines), each resolved to a digest.</summary>
    public IReadOnlyList<(ImageReference Reference, Digest Digest)> BaseImages { get; init; } = [];

    /// <summary>When the build started, or null.</summary>
    public DateTimeOffset? StartedOn { get; init; }

    /// <summary>When the build finished, or null.</summary>
    public DateTimeOffset? FinishedOn { get; init; }

    /// <summary>Builds the statement.</summary>
    /// <exception cref="OciInputException">The commit is not a full git sha, or the source or builder id is not an
    /// absolute URI.</exception>
    public InTotoStatement ToStatement()
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(Commit, "^([0-9a-f]{40}|[0-9a-f]{64})$"))
            throw new OciInputException($"Provenance commit '{Commit}' is not a full git sha (40 or 64 lower-case hex digits); " +
                "pass the full commit (git rev-parse HEAD).");
        RequireUri(Source, "source repository");
        RequireUri(BuilderId, "builder id");
        // SLSA's convention for git sources: a git+ URI with the ref, and the commit as a gitCommit digest.
        var source = new ResourceDescriptor(null, $"git+{Source}{(Ref is null ? "" : "@" + Ref)}",
            new Dictionary<string, string> { ["gitCommit"] = Commit });
        var dependencies = new List<ResourceDescriptor> { source };
        dependencies.AddRange(BaseImages
            .OrderBy(b => b.Reference.ToString(), StringComparer.Ordinal)
            .Select(b => ResourceDescriptor.ForDigest(b.Reference.ToString(), b.Digest, $"pkg:docker/{b.Reference.Name}")));
        var parameters = new ExternalParameters(Platform.ToString(), Dockerfile, Context, Workflow,
            BuildArgRedaction.Redact(BuildArgs, SecretValues));
        return new InTotoStatement(
            [ResourceDescriptor.ForDigest(Image.Name, ImageDigest)],
            new SlsaProvenance(
                new BuildDefinition(BuildType, parameters, dependencies),
                new RunDetails(new Builder(BuilderId), new BuildMetadata(InvocationId, Rfc3339(StartedOn), Rfc3339(FinishedOn)))));
    }

    private static string? Rfc3339(DateTimeOffset? time) =>
        time?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static void RequireUri(string value, string what)
    {
        if (!System.Uri.TryCreate(value, UriKind.Absolute, out _))
            throw new OciInputException($"Provenance {what} '{value}' is not an absolute URI; pass e.g. https://github.com/owner/repo.");
    }
}
