namespace MultiArch.Build;

/// <summary>
/// Where the build runs. The console host prints plain sections; the GitHub Actions host folds each target into
/// a log group, turns failures into annotations and appends the summary to the job summary page.
/// </summary>
public class BuildHost
{
    /// <summary>Picks the host from the environment (GITHUB_ACTIONS=true means GitHub Actions).</summary>
    public static BuildHost Detect(IReadOnlyDictionary<string, string> environment) =>
        environment.GetValueOrDefault("GITHUB_ACTIONS") == "true"
            ? new GitHubActionsHost(environment.GetValueOrDefault("GITHUB_STEP_SUMMARY")) : new BuildHost();

    /// <summary>Whether this host is a CI service.</summary>
    public virtual bool IsGitHubActions => false;
    /// <summary>Marks the start of a target's output.</summary>
    public virtual void BeginTarget(BuildLog log, string title) => log.Write($"\n━━━ {title}");
    /// <summary>Marks its end.</summary>
    public virtual void EndTarget(BuildLog log, string title) { }
    /// <summary>Reports a failure.</summary>
    public virtual void ReportFailure(BuildLog log, string title, string message) => log.Error($"{title}: {message}");
    /// <summary>Marks a warning or error a target logged where the host shows it (GitHub: an annotation).</summary>
    public virtual void Annotate(BuildLog log, string level, string? title, string message) { }
    /// <summary>Announces a secret to the host (GitHub masks it in its own log).</summary>
    public virtual void AnnounceSecret(TextWriter output, string secret) { }
    /// <summary>Publishes the run summary (Markdown) where the host shows it.</summary>
    public virtual void PublishSummary(string markdown) { }
}

/// <summary>The GitHub Actions host: <c>::group::</c>, <c>::error::</c>, <c>::add-mask::</c> and $GITHUB_STEP_SUMMARY.</summary>
public sealed class GitHubActionsHost(string? stepSummaryPath) : BuildHost
{
    public override bool IsGitHubActions => true;
    public override void BeginTarget(BuildLog log, string title) => log.Raw($"::group::{title}\n");
    public override void EndTarget(BuildLog log, string title) => log.Raw("::endgroup::\n");
    public override void ReportFailure(BuildLog log, string title, string message) =>
        log.Raw($"::error title={EscapeProperty(title)}::{EscapeData(message)}\n");
    public override void Annotate(BuildLog log, string level, string? title, string message) =>
        log.Raw($"::{level} title={EscapeProperty(title ?? "build")}::{EscapeData(message)}\n");
    public override void AnnounceSecret(TextWriter output, string secret)
    {
        // The runner hides this command line itself; it must bypass our own masking to be useful. A raw line break
        // would end the command and print the rest in clear: escape it as the workflow-command spec says. The log
        // announces each line of a multi-line secret separately as well, since the runner masks line by line.
        output.WriteLine($"::add-mask::{EscapeData(secret)}");
        output.Flush();
    }
    public override void PublishSummary(string markdown)
    { if (!string.IsNullOrEmpty(stepSummaryPath)) File.AppendAllText(stepSummaryPath, markdown + "\n"); }

    static string EscapeData(string text) => text.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");
    static string EscapeProperty(string text) => EscapeData(text).Replace(":", "%3A").Replace(",", "%2C");
}
