using MultiArch.Build;
using MultiArch.Ghcr;
using MultiArch.Workflows;

namespace MultiArch.Components;

/// <summary>
/// CleanupUntagged: deletes untagged GHCR versions that no tagged image still needs. Every child of a tagged index
/// (per-arch images, attestations), nested indexes and referrers are protected; anything unreadable stops it.
/// </summary>
public interface ICleanupUntagged : IMergeManifest
{
    /// <summary>Token for the GitHub Packages API.</summary>
    [Parameter("Token with read:packages and delete:packages (in Actions: GITHUB_TOKEN with packages: write)",
        Environment = "GITHUB_TOKEN"), Secret]
    string? GithubToken => TryGetValue(() => GithubToken);

    /// <summary>Delete for real outside CI (a dry run is the default there).</summary>
    [Parameter("Delete for real when not in CI (outside CI, cleanup is a dry run unless confirmed)")]
    bool Confirm => TryGetValue<bool?>(() => Confirm) ?? false;

    /// <summary>Untagged versions younger than this are kept.</summary>
    [Parameter("Keep untagged versions younger than this many minutes (a build still pushing is never raced)")]
    int CleanupGraceMinutes => TryGetValue<int?>(() => CleanupGraceMinutes) ?? 60;

    /// <summary>Keep the newest N deletable untagged versions anyway.</summary>
    [Parameter("Keep this many of the newest deletable untagged versions")]
    int KeepNewestUntagged => TryGetValue<int?>(() => KeepNewestUntagged) ?? 0;

    /// <summary>Pacing of deletions.</summary>
    [Parameter("At most this many deletions a minute (0: no pacing)")]
    int DeletionsPerMinute => TryGetValue<int?>(() => DeletionsPerMinute) ?? 150;

    /// <summary>A GitHub Enterprise (or test) API address; default api.github.com.</summary>
    [Parameter("GitHub REST API address; default https://api.github.com (set it for GitHub Enterprise)", Environment = "GITHUB_API_URL")]
    string? GithubApiUrl => TryGetValue(() => GithubApiUrl);

    /// <summary>The target.</summary>
    Target CleanupUntagged => _ => _
        .Description("Deletes untagged GHCR versions that no tagged image references (dry run outside CI unless --confirm)")
        .After<IMergeManifest>()
        .Annotate(PipelineAnnotations.DeletesPackages, "true")
        .Annotate(WorkflowAnnotations.Publishes, "true")
        // Its own job after the merge: a cleanup failure (a missing package Admin grant gives 404) never turns a
        // published release red, and "Re-run failed jobs" retries it alone.
        .Annotate(WorkflowAnnotations.Job, "cleanup")
        .Annotate(WorkflowAnnotations.ContinueOnError, "true")
        .Executes(async () =>
        {
            foreach (var image in SelectedImages)
            {
                var repository = RepositoryOf(image);
                var token = GithubToken ?? (PipelineNaming.IsGhcr(repository.Registry) ? RegistryPassword : null);
                if (!PipelineNaming.IsGhcr(repository.Registry) && GithubApiUrl is null)
                {
                    Build.Log.Info($"{repository.Name}: {repository.Registry} has no API that lists untagged manifests; nothing to clean.");
                    continue;
                }
                if (string.IsNullOrEmpty(token))
                    throw new BuildException("CleanupUntagged needs a token: pass --github-token <token> or set GITHUB_TOKEN "
                        + "(read:packages and delete:packages).");
                var report = await UntaggedCleaner.RunAsync(new CleanupRequest
                {
                    Image = repository.Name,
                    GitHubToken = token,
                    GitHubApiAddress = GithubApiUrl is null ? null : new Uri(GithubApiUrl),
                    GracePeriod = TimeSpan.FromMinutes(CleanupGraceMinutes),
                    KeepNewestUntagged = KeepNewestUntagged,
                    DryRun = DryRun || !(Build.IsCI || Confirm),
                    MaxDeletionsPerMinute = DeletionsPerMinute,
                    ReportPath = Build.RootDirectory / "artifacts" / $"cleanup-{image.Name}.json",
                    Log = new BuildLogWriter(Build.Log),
                }, Build.Cancellation);
                Build.Log.Raw(report.ToSummaryTable() + "\n");
                if (report.Outcome == CleanupOutcome.FailedClosed) throw new BuildException($"Cleanup of {repository.Name} "
                    + $"deleted nothing: {report.Reason}");
            }
        });
}
