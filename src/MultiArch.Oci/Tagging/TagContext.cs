using System.Globalization;
using System.Text.Json;

namespace MultiArch.Oci.Tagging;

/// <summary>The kind of event a run answers; only <see cref="Schedule"/> changes what the rules give (as in metadata-action).</summary>
public enum TagEvent
{
    /// <summary>A push of a branch or a tag, or a local run.</summary>
    Push,
    /// <summary><c>pull_request</c> or <c>pull_request_target</c>.</summary>
    PullRequest,
    /// <summary>A scheduled run: <see cref="TagRule.Schedule"/> applies, and the branch counts as the default one.</summary>
    Schedule,
    /// <summary><c>workflow_dispatch</c>.</summary>
    WorkflowDispatch,
    /// <summary>Any other event.</summary>
    Other,
}

/// <summary>The git ref a run is for, parsed once: a branch, a tag or a pull request.</summary>
public abstract record GitRef
{
    GitRef() { }

    /// <summary><c>refs/heads/&lt;name&gt;</c>.</summary>
    public sealed record Branch(string Name) : GitRef;

    /// <summary><c>refs/tags/&lt;name&gt;</c>.</summary>
    public sealed record Tag(string Name) : GitRef;

    /// <summary><c>refs/pull/&lt;number&gt;/merge</c>.</summary>
    public sealed record PullRequest(int Number) : GitRef;

    /// <summary>Parses <c>GITHUB_REF</c>: <c>refs/heads/main</c>, <c>refs/tags/v1.2.3</c> or <c>refs/pull/2/merge</c>.</summary>
    /// <exception cref="OciInputException">Another form: one line naming the ref and the three forms.</exception>
    public static GitRef Parse(string fullRef) => TryParse(fullRef)
        ?? throw new OciInputException($"Git ref '{fullRef}' is none the tag rules know: pass refs/heads/<branch>, " +
            "refs/tags/<tag> or refs/pull/<number>/merge.");

    /// <summary>The same, or null for another form (which no rule reads, as in metadata-action).</summary>
    public static GitRef? TryParse(string fullRef)
    {
        const string heads = "refs/heads/", tags = "refs/tags/", pull = "refs/pull/";
        if (fullRef.StartsWith(heads, StringComparison.Ordinal) && fullRef.Length > heads.Length)
            return new Branch(fullRef[heads.Length..]);
        if (fullRef.StartsWith(tags, StringComparison.Ordinal) && fullRef.Length > tags.Length) return new Tag(fullRef[tags.Length..]);
        if (fullRef.StartsWith(pull, StringComparison.Ordinal)
            && fullRef[pull.Length..].Split('/')[0] is var number
            && int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var pr))
            return new PullRequest(pr);
        return null;
    }
}

/// <summary>
/// What the tag rules read, gathered once per run: the event, the ref, the repository's default branch, the commit,
/// the run's version and the clock. Pure data, so every rule is tested without git or GitHub.
/// </summary>
public sealed record TagContext
{
    /// <summary>The event; <see cref="TagEvent.Push"/> for a local run.</summary>
    public TagEvent Event { get; init; } = TagEvent.Push;

    /// <summary>The ref, null when unknown (a detached local checkout).</summary>
    public GitRef? Ref { get; init; }

    /// <summary>
    /// The repository's default branch (<c>repository.default_branch</c>), null when unknown: then
    /// <see cref="TagRule.Edge"/> needs its own branch.
    /// </summary>
    public string? DefaultBranch { get; init; }

    /// <summary>A pull request's target branch (<c>GITHUB_BASE_REF</c>), for <c>{{base_ref}}</c>.</summary>
    public string? BaseRef { get; init; }

    /// <summary>The commit SHA, for <see cref="TagRule.Sha"/> and <c>{{sha}}</c>.</summary>
    public string? Sha { get; init; }

    /// <summary>
    /// The run's version (--version, else the exact git tag, else dev): <see cref="TagRule.Version"/> gives it as is,
    /// <see cref="TagRule.Semver"/> reads it. Null: semver rules read the git tag of <see cref="Ref"/>, as metadata-action does.
    /// </summary>
    public ImageVersion? Version { get; init; }

    /// <summary>The time <c>{{date}}</c> renders; fixed per run so every rule sees the same instant.</summary>
    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The commit's time for <c>{{commit_date}}</c>; null falls back to <see cref="Now"/>, as metadata-action does.</summary>
    public DateTimeOffset? CommitDate { get; init; }

    /// <summary>How many characters a short SHA keeps (metadata-action's <c>DOCKER_METADATA_SHORT_SHA_LENGTH</c>, default 7).</summary>
    public int ShortShaLength { get; init; } = 7;

    /// <summary>The branch name, or null when the ref is no branch (<c>{{branch}}</c>).</summary>
    public string? Branch => (Ref as GitRef.Branch)?.Name;

    /// <summary>The git tag name, or null when the ref is no tag (<c>{{tag}}</c>).</summary>
    public string? GitTag => (Ref as GitRef.Tag)?.Name;

    /// <summary>
    /// <c>{{is_default_branch}}</c>: the branch is the default one; a scheduled run always is (GitHub runs schedules on
    /// the default branch's last commit).
    /// </summary>
    public bool IsDefaultBranch => Branch is { Length: > 0 } branch && (branch == DefaultBranch || Event == TagEvent.Schedule);

    /// <summary>The SHA cut to <see cref="ShortShaLength"/>.</summary>
    public string? ShortSha => Sha is null ? null : ShortShaLength >= Sha.Length ? Sha : Sha[..ShortShaLength];

    /// <summary>
    /// Renders metadata-action's global expressions (<c>{{branch}}</c>, <c>{{sha}}</c>, <c>{{date 'YYYYMMDD'}}</c> ...)
    /// in <paramref name="template"/> for this context, unsanitised: what rule values, prefixes and suffixes are made of.
    /// </summary>
    /// <exception cref="OciInputException">An unknown expression, named with <paramref name="where"/>.</exception>
    public string Expand(string template, string where = "Tag template") =>
        TagExpressions.Render(template, e => TagExpressions.Global(e, this, where), where, TagExpressions.GlobalNames);

    /// <summary>
    /// What semver rules read when they have no <see cref="TagRule.Semver.Value"/>: the git tag when the run's version
    /// is that tag (so <c>{{raw}}</c> keeps its <c>v</c>), else the run's version, already parsed (its text would
    /// read build metadata, written <c>-build</c>, as a pre-release).
    /// </summary>
    internal (string Raw, ImageVersion? Parsed)? SemverSource =>
        GitTag is { } tag && (Version is null || ImageVersion.TryParseSemver(tag)?.Text == Version.Text) ? (tag, Version)
        : Version is { } version ? (version.Text, version) : null;

    /// <summary>
    /// The context of a GitHub Actions run: <c>GITHUB_EVENT_NAME</c>, <c>GITHUB_REF</c>, <c>GITHUB_SHA</c>,
    /// <c>GITHUB_BASE_REF</c>, and the default branch from the event payload (<c>GITHUB_EVENT_PATH</c>). Outside
    /// Actions, each missing value is null.
    /// </summary>
    public static TagContext FromGitHub(IReadOnlyDictionary<string, string> environment)
    {
        var eventName = environment.GetValueOrDefault("GITHUB_EVENT_NAME");
        return new TagContext
        {
            Event = eventName switch
            {
                null or "push" => TagEvent.Push,
                "pull_request" or "pull_request_target" => TagEvent.PullRequest,
                "schedule" => TagEvent.Schedule,
                "workflow_dispatch" => TagEvent.WorkflowDispatch,
                _ => TagEvent.Other,
            },
            // Another form (refs/remotes/..., a merge queue's) is no ref any rule reads: unknown, not an error.
            Ref = environment.GetValueOrDefault("GITHUB_REF") is { Length: > 0 } fullRef ? GitRef.TryParse(fullRef) : null,
            Sha = environment.GetValueOrDefault("GITHUB_SHA") is { Length: > 0 } sha ? sha : null,
            BaseRef = environment.GetValueOrDefault("GITHUB_BASE_REF") is { Length: > 0 } baseRef ? baseRef : null,
            DefaultBranch = DefaultBranchOf(environment.GetValueOrDefault("GITHUB_EVENT_PATH")),
        };
    }

    // The payload is the one place Actions names the default branch; an unreadable one leaves it unknown.
    static string? DefaultBranchOf(string? payloadPath)
    {
        if (payloadPath is null || !File.Exists(payloadPath)) return null;
        try
        {
            using var payload = JsonDocument.Parse(File.ReadAllText(payloadPath));
            return payload.RootElement.TryGetProperty("repository", out var repository)
                   && repository.ValueKind == JsonValueKind.Object
                   && repository.TryGetProperty("default_branch", out var branch) && branch.ValueKind == JsonValueKind.String
                ? branch.GetString() : null;
        }
        catch (JsonException) { return null; }
    }
}
