using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MultiArch.Ghcr;

/// <summary>How a cleanup ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CleanupOutcome>))]
public enum CleanupOutcome
{
    /// <summary>Every candidate was deleted (or was already gone).</summary>
    Completed,

    /// <summary>Dry run: <see cref="CleanupReport.Deleted"/> lists what would have been deleted.</summary>
    DryRun,

    /// <summary>
    /// A tagged (or otherwise kept) manifest could not be read, so nothing was deleted; see
    /// <see cref="CleanupReport.Reason"/>.
    /// </summary>
    FailedClosed,

    /// <summary>The registry has no API that lists untagged manifests; nothing was done.</summary>
    NothingToDo,
}

/// <summary>One package version that was (or in a dry run would be) deleted.</summary>
/// <param name="Id">The package version id, for GitHub's restore endpoint.</param>
/// <param name="Digest">The manifest digest (the version's name).</param>
/// <param name="CreatedAt">When the version was pushed.</param>
public sealed record DeletedVersion(long Id, string Digest, DateTimeOffset CreatedAt);

/// <summary>The result of one cleanup: counts for the summary table, what was deleted, and why anything was refused.</summary>
public sealed record CleanupReport
{
    /// <summary>How the run ended.</summary>
    public required CleanupOutcome Outcome { get; init; }

    /// <summary>The image cleaned, <c>registry/owner/package</c>.</summary>
    public required string Image { get; init; }

    /// <summary>One line saying why nothing was deleted (fail closed, other registry); null otherwise.</summary>
    public string? Reason { get; init; }

    /// <summary>Package versions listed.</summary>
    public int Versions { get; init; }

    /// <summary>Versions kept because they carry a tag.</summary>
    public int KeptTagged { get; init; }

    /// <summary>Untagged versions kept because a kept manifest needs them (index children, attestations, referrers).</summary>
    public int ProtectedChildren { get; init; }

    /// <summary>Untagged versions kept because they are younger than the grace period.</summary>
    public int SkippedByGracePeriod { get; init; }

    /// <summary>Untagged versions kept by the keep-newest-N rule.</summary>
    public int KeptNewest { get; init; }

    /// <summary>Untagged versions kept because their manifest could not be read to rule out a <c>subject</c>.</summary>
    public int SkippedUnreadable { get; init; }

    /// <summary>Deleted versions (in a dry run: the versions that would be deleted).</summary>
    public IReadOnlyList<DeletedVersion> Deleted { get; init; } = [];

    /// <summary>Warnings such as a version already gone (404 on delete).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>REST requests that listed versions (one per page).</summary>
    public int ListRequests { get; init; }

    /// <summary>Registry requests for manifests and tags.</summary>
    public int ManifestRequests { get; init; }

    /// <summary>REST delete requests, retries included.</summary>
    public int DeleteRequests { get; init; }

    /// <summary>REST requests repeated after a rate-limit answer.</summary>
    public int RateLimitRetries { get; init; }

    /// <summary>Wall time of the whole run.</summary>
    public TimeSpan Duration { get; init; }

    static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The report as JSON (camelCase), the form written to <see cref="CleanupRequest.ReportPath"/>.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>The summary table a user reads at the end of the run (Markdown, so it also fits a job summary).</summary>
    public string ToSummaryTable()
    {
        var deletedLabel = Outcome == CleanupOutcome.DryRun ? "Would delete (dry run)" : "Deleted";
        var text = new StringBuilder()
            .AppendLine($"Cleanup of {Image}: {Outcome}")
            .AppendLine()
            .AppendLine("| Versions | Count |")
            .AppendLine("| --- | ---: |")
            .AppendLine($"| Listed | {Versions} |")
            .AppendLine($"| Kept: tagged | {KeptTagged} |")
            .AppendLine($"| Kept: protected children and referrers | {ProtectedChildren} |")
            .AppendLine($"| Kept: inside the grace period | {SkippedByGracePeriod} |")
            .AppendLine($"| Kept: newest untagged | {KeptNewest} |")
            .AppendLine($"| Kept: manifest unreadable | {SkippedUnreadable} |")
            .AppendLine($"| {deletedLabel} | {Deleted.Count} |");
        if (Reason is not null) text.AppendLine().AppendLine(Reason);
        return text.ToString();
    }
}
