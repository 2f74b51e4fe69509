namespace MultiArch.Workflows;

/// <summary>
/// <c>owner/repo@version</c>, optionally pinned to a commit: then it renders as <c>owner/repo@sha # version</c>.
/// </summary>
public sealed record ActionReference
{
    /// <summary><c>owner/repo</c> (or <c>owner/repo/path</c>).</summary>
    public string Action { get; }

    /// <summary>The tag users read, e.g. <c>v4</c>.</summary>
    public string Version { get; }

    /// <summary>The full commit SHA this reference is pinned to, if any.</summary>
    public string? CommitSha { get; init; }

    /// <summary>Creates a reference to a tagged action.</summary>
    public ActionReference(string action, string version)
    {
        if (string.IsNullOrWhiteSpace(action) || action.Contains('@') || string.IsNullOrWhiteSpace(version))
            throw new WorkflowDefinitionException($"Action reference '{action}@{version}' is malformed; write it as owner/repo@version.");
        Action = action;
        Version = version;
    }

    /// <summary>Parses <c>owner/repo@version</c>.</summary>
    public static ActionReference Parse(string text)
    {
        var at = text.LastIndexOf('@');
        if (at <= 0 || at == text.Length - 1)
            throw new WorkflowDefinitionException($"Action reference '{text}' is malformed; write it as owner/repo@version, e.g. " +
                "actions/checkout@v4.");
        var version = text[(at + 1)..];
        return IsCommitSha(version)
            ? new ActionReference(text[..at], version) { CommitSha = version }
            : new ActionReference(text[..at], version);
    }

    /// <summary>Lets steps say <c>Uses = "actions/checkout@v4"</c>.</summary>
    public static implicit operator ActionReference(string text) => Parse(text);

    /// <summary>This reference pinned to <paramref name="sha"/>.</summary>
    public ActionReference PinnedTo(string sha) => IsCommitSha(sha)
        ? this with { CommitSha = sha.ToLowerInvariant() }
        : throw new WorkflowDefinitionException($"Pin for '{Action}@{Version}' is '{sha}', not a full 40-character commit SHA; copy the " +
            "SHA of the release commit.");

    /// <summary>The text after <c>uses:</c> (without the version comment).</summary>
    public string UsesText => $"{Action}@{CommitSha ?? Version}";

    /// <summary>The comment that keeps a pinned reference readable, or null when unpinned.</summary>
    public string? VersionComment => CommitSha is not null && CommitSha != Version ? Version : null;

    /// <summary>Whether this names the given action, ignoring the version.</summary>
    public bool Is(string action) => string.Equals(Action, action, StringComparison.OrdinalIgnoreCase);

    static bool IsCommitSha(string text) => text.Length == 40 && text.All(Uri.IsHexDigit);

    /// <inheritdoc />
    public override string ToString() => $"{Action}@{Version}";
}
