using MultiArch.Processes;

namespace MultiArch.Components;

/// <summary>
/// What the labels, tags and default version need from git: revision, commit time, an exact tag, the branch and the source URL.
/// GitHub's own variables win in CI (the checkout may be shallow); locally it asks git, and tolerates no git at all.
/// </summary>
public sealed record GitInfo(string? Revision, DateTimeOffset? CommitTime, string? ExactTag, string? SourceUrl)
{
    /// <summary>The checked-out branch of a local run, null when detached (CI's ref comes from GITHUB_REF instead).</summary>
    public string? Branch { get; init; }

    /// <summary>Reads the repository at <paramref name="root"/>.</summary>
    /// <param name="root">The repository.</param>
    /// <param name="environment">The build's environment (GitHub's variables win).</param>
    /// <param name="withheld">Variables git must not inherit (the build's secrets).</param>
    public static GitInfo Read(string root, IReadOnlyDictionary<string, string> environment, IReadOnlyCollection<string>? withheld = null)
    {
        // The questions are independent: asked at once, a run waits for the slowest git, not for them one after another.
        // Plain parallel calls: git runs synchronously, so there is no task to wait on.
        string? Ask(params string[] arguments) => Git(root, arguments, withheld ?? []);
        var tagged = environment.GetValueOrDefault("GITHUB_REF_TYPE") == "tag";
        var inActions = environment.TryGetValue("GITHUB_REPOSITORY", out var repository);
        string? revision = environment.GetValueOrDefault("GITHUB_SHA"), time = null, branch = null;
        var tag = tagged ? environment.GetValueOrDefault("GITHUB_REF_NAME") : null;
        var source = inActions ? $"{environment.GetValueOrDefault("GITHUB_SERVER_URL") ?? "https://github.com"}/{repository}" : null;
        Parallel.Invoke(
            () => revision ??= Ask("rev-parse", "HEAD"),
            () => time = Ask("log", "-1", "--format=%cI"),
            () => tag = tagged ? tag : Ask("describe", "--tags", "--exact-match", "HEAD"),
            // origin, else the first remote there is (a repository whose only remote is "upstream", say).
            () => source = inActions ? source : Ask("remote", "get-url", "origin")
                ?? (Ask("remote")?.Split('\n')[0].Trim() is { Length: > 0 } first ? Ask("remote", "get-url", first) : null),
            () => branch = environment.ContainsKey("GITHUB_REF") ? null : Ask("rev-parse", "--abbrev-ref", "HEAD"));
        return new GitInfo(revision, time is { } text && DateTimeOffset.TryParse(text, out var t) ? t : null, tag,
            inActions ? source : Normalize(source)) { Branch = branch is { } name and not "HEAD" ? name : null };
    }

    // git@github.com:acme/app.git, ssh://git@github.com/acme/app.git and https://github.com/acme/app.git all become
    // https://github.com/acme/app; a remote that is no web address gives none.
    static string? Normalize(string? url)
    {
        if (url is null) return null;
        if (url.StartsWith("ssh://git@", StringComparison.Ordinal)) url = "https://" + url["ssh://git@".Length..];
        else if (url.StartsWith("git@", StringComparison.Ordinal)) url = "https://" + url[4..].Replace(':', '/');
        // A local path or file:// remote says nothing a puller could open.
        if (!url.StartsWith("https://", StringComparison.Ordinal) && !url.StartsWith("http://", StringComparison.Ordinal)) return null;
        return url.EndsWith(".git", StringComparison.Ordinal) ? url[..^4] : url;
    }

    static string? Git(string root, string[] arguments, IReadOnlyCollection<string> withheld)
    {
        try
        {
            var result = ProcessRunner.Run(new ProcessCommand("git", arguments) { WorkingDirectory = root, Withheld = withheld });
            var output = result.StandardOutput.Trim();
            return result.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; } // no git installed
    }
}
