using MultiArch.Processes;

namespace MultiArch.Workflows.Local;

/// <summary>What a local workflow run needs from the caller.</summary>
public sealed class LocalRunOptions
{
    /// <summary>The repository root: what <c>actions/checkout</c> would have checked out.</summary>
    public required string Workspace { get; init; }

    /// <summary>Where legs, runner temp folders and artifacts live; a fresh temporary folder when null.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>Whether every leg gets its own copy of the workspace (like a fresh runner) or all share it.</summary>
    public LocalWorkspaceMode WorkspaceMode { get; init; } = LocalWorkspaceMode.CopyPerLeg;

    /// <summary>
    /// The folder standing in for the <c>actions/cache</c> service (see <see cref="LocalCacheAction"/>); it may outlive
    /// a run, so a later run restores what an earlier one saved. <c>actions-cache</c> in the work directory when null.
    /// </summary>
    public string? CacheDirectory { get; init; }

    /// <summary>
    /// The runner's home: <c>~</c> in action paths, and <c>HOME</c> of run steps when set; this machine's home when null.
    /// </summary>
    public string? Home { get; init; }

    /// <summary>Values for <c>secrets.*</c>; they are masked as <c>***</c> in every captured line.</summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();

    /// <summary>Values for <c>inputs.*</c>; workflow_dispatch defaults fill the rest.</summary>
    public IReadOnlyDictionary<string, string> Inputs { get; init; } = new Dictionary<string, string>();

    /// <summary>Variables that win over the workflow's own <c>env:</c> at every level (e.g. a local registry).</summary>
    public IReadOnlyDictionary<string, string> EnvironmentOverrides { get; init; } = new Dictionary<string, string>();

    /// <summary>The small, fixed <c>github.*</c> context.</summary>
    public LocalGitHubContext GitHub { get; init; } = new();

    /// <summary>Receives each (masked) line as it is produced; null keeps it in the results only.</summary>
    public Action<string>? Log { get; init; }
}

/// <summary>How legs see the workspace.</summary>
public enum LocalWorkspaceMode
{
    /// <summary>
    /// Each leg runs in its own copy (tracked and untracked, not ignored, files), so only artifacts hand files between jobs, as on GitHub.
    /// </summary>
    CopyPerLeg,
    /// <summary>Every leg runs in the workspace itself: faster, but files leak between legs and jobs.</summary>
    Shared,
}

/// <summary>The <c>github.*</c> values a local run reports.</summary>
public sealed record LocalGitHubContext
{
    /// <summary><c>github.event_name</c>.</summary>
    public string EventName { get; init; } = "workflow_dispatch";
    /// <summary><c>github.repository</c> (owner/name).</summary>
    public string Repository { get; init; } = "local/repository";
    /// <summary><c>github.ref</c>.</summary>
    public string Ref { get; init; } = "refs/heads/main";
    /// <summary><c>github.sha</c>.</summary>
    public string Sha { get; init; } = new('0', 40);
    /// <summary><c>github.actor</c>.</summary>
    public string Actor { get; init; } = "local";
    /// <summary><c>github.run_id</c>.</summary>
    public string RunId { get; init; } = "1";

    /// <summary><c>github.event.repository.fork</c>: true simulates a fork's run.</summary>
    public bool Fork { get; init; }

    /// <summary>The small <c>github.event</c> payload: the repository (with <c>fork</c>) and, for pull requests, a number.</summary>
    public Dictionary<string, object?> Event()
    {
        var payload = new Dictionary<string, object?>
        {
            ["repository"] = new Dictionary<string, object?> { ["full_name"] = Repository, ["fork"] = Fork },
        };
        if (EventName == "pull_request") payload["number"] = 1;
        return payload;
    }

    /// <summary>
    /// The defaults with the work tree's real commit as <c>github.sha</c> (labels and <c>sha-</c> tags then say what was built, as on
    /// GitHub).
    /// </summary>
    public static LocalGitHubContext ForWorkTree(string root)
    {
        try
        {
            var git = ProcessRunner.Run(new ProcessCommand("git", ["-C", root, "rev-parse", "HEAD"]));
            var sha = git.StandardOutput.Trim();
            return git.ExitCode == 0 && sha.Length == 40 ? new LocalGitHubContext { Sha = sha } : new LocalGitHubContext();
        }
        catch (System.ComponentModel.Win32Exception) { return new LocalGitHubContext(); } // no git
    }
}
