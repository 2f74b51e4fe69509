namespace MultiArch.Ghcr;

/// <summary>
/// What to clean and how carefully. For GHCR set <see cref="Image"/> to <c>ghcr.io/owner/package</c> and
/// <see cref="GitHubToken"/>; everything else has a safe default. Tests (or GitHub Enterprise) also set
/// <see cref="GitHubApiAddress"/>, because there the REST API and the registry live at different hosts.
/// </summary>
public sealed record CleanupRequest
{
    /// <summary>The GitHub.com REST API, used when <see cref="GitHubApiAddress"/> is not set.</summary>
    public static readonly Uri GitHubComApi = new("https://api.github.com/");

    /// <summary>The registry whose packages the GitHub.com API lists.</summary>
    public const string GhcrHost = "ghcr.io";

    /// <summary>
    /// The image without tag, <c>registry/owner/package</c>, e.g. <c>ghcr.io/acme/app/dev</c>. The first path segment
    /// is the package owner, the rest (which may contain <c>/</c>) the package name.
    /// </summary>
    public required string Image { get; init; }

    /// <summary>
    /// A token with <c>read:packages</c> and <c>delete:packages</c> (in Actions: <c>GITHUB_TOKEN</c> with
    /// <c>packages: write</c>, and the repository granted Admin access to the package). Never printed.
    /// </summary>
    public required string GitHubToken { get; init; }

    /// <summary>
    /// The REST API base address. Null means api.github.com, which only lists ghcr.io packages; any other address is
    /// treated as a GitHub Enterprise server (Octokit appends <c>api/v3/</c>) that lists the packages of <see cref="Image"/>'s registry.
    /// </summary>
    public Uri? GitHubApiAddress { get; init; }

    /// <summary>Whether the owner is an organization or a user; detected by default.</summary>
    public OwnerKind OwnerKind { get; init; } = OwnerKind.Detect;

    /// <summary>
    /// The user name sent with the token to the registry (GHCR accepts any non-empty name with a token).
    /// Null sends the registry requests anonymously, as a local test registry expects.
    /// </summary>
    public string? RegistryUserName { get; init; } = "token";

    /// <summary>
    /// The handler that does the registry I/O (tests and benchmarks pass one to count, delay or fault traffic); the
    /// cleaner does not dispose it. Null: the registry client's own socket handler.
    /// </summary>
    public HttpMessageHandler? RegistryTransport { get; init; }

    /// <summary>Untagged versions younger than this are kept, so a build still pushing its per-arch images is never raced.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How many of the newest deletable untagged versions to keep anyway (0 = none).</summary>
    public int KeepNewestUntagged { get; init; }

    /// <summary>List what would be deleted, delete nothing. The caller decides the default (dry run outside CI).</summary>
    public bool DryRun { get; init; } = true;

    /// <summary>At most this many deletions a minute (GitHub's secondary limits); 0 turns pacing off.</summary>
    public int MaxDeletionsPerMinute { get; init; } = 150;

    /// <summary>Concurrent registry requests while building the protected set.</summary>
    public int RegistryConcurrency { get; init; } = 8;

    /// <summary>
    /// Concurrent REST requests (list pages after the first, deletions); 1 = one request after another.
    /// With pacing on, deletions start at most every 60/<see cref="MaxDeletionsPerMinute"/> seconds whatever this is;
    /// concurrency then only hides each request's latency.
    /// </summary>
    public int ApiConcurrency { get; init; } = 8;

    /// <summary>How many times one REST request is retried after a rate-limit answer before giving up.</summary>
    public int MaxRateLimitRetries { get; init; } = 6;

    /// <summary>The longest single wait for a rate limit; a longer reset fails the run instead of hanging it.</summary>
    public TimeSpan MaxRateLimitWait { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Where to write the JSON report (deleted ids and digests, restorable for 30 days); null writes none.</summary>
    public string? ReportPath { get; init; }

    /// <summary>Progress and warnings, one line each. Never receives the token.</summary>
    public TextWriter Log { get; init; } = TextWriter.Null;

    /// <summary>The clock for the grace period and pacing.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
