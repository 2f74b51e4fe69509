namespace MultiArch.Workflows;

/// <summary>One action the generator may emit: the major it is written as, the newest release of that major (with its
/// commit, for <see cref="WorkflowDefinition.PinActionsToCommits()"/>), and the runtime its <c>action.yml</c> declares.</summary>
/// <param name="Action"><c>owner/repo</c>.</param>
/// <param name="Major">The floating major tag written by default, e.g. <c>v5</c>.</param>
/// <param name="Release">The exact release tag, e.g. <c>v5.1.0</c>.</param>
/// <param name="CommitSha">The commit that release tag points at (<c>git rev-list -n1 v5.1.0</c>).</param>
/// <param name="Runtime">What <c>runs.using</c> says in <c>action.yml</c> at that release.</param>
public sealed record ActionVersion(string Action, string Major, string Release, string CommitSha, string Runtime)
{
    /// <summary><c>owner/repo@major</c>, as steps are written.</summary>
    public ActionReference Reference => new(Action, Major);

    /// <summary><c>owner/repo@sha</c> rendered with a <c># vX.Y.Z</c> comment.</summary>
    public ActionReference Pinned => new ActionReference(Action, Release).PinnedTo(CommitSha);
}

/// <summary>
/// Every action pin the generator and MultiArch's contributors emit, in one table. GitHub removed Node 20 from the
/// hosted runners on 2026-09-16, so each entry is the first major whose <c>action.yml</c> declares <c>runs.using: node24</c>
/// (upload-artifact v5 and download-artifact v6 still declared node20).
/// <para>
/// To refresh: for each entry, get the repository (<c>git clone --bare https://github.com/owner/repo</c>), take the
/// newest tag of the major (<c>git tag -l 'v5.*' | sort -V | tail -1</c>), read <c>git show &lt;tag&gt;:action.yml</c> and
/// check <c>runs.using</c>, and copy <c>git rev-list -n1 &lt;tag&gt;</c> as the commit. A new major goes in only when its
/// <c>action.yml</c> says node24 (or later) and its inputs used here (see the contributors) still exist;
/// <c>ActionVersionsTests</c> fails on any emitted action missing from the table.
/// </para>
/// Last refreshed 2026-12-02 from each repository's tags.
/// </summary>
public static class ActionVersions
{
    /// <summary>actions/checkout v5 (action.yml v5.1.0: <c>using: node24</c>).</summary>
    public static ActionVersion Checkout { get; } = new("actions/checkout", "v5", "v5.1.0", "fbc6f3992d24b796d5a048ff273f7fcc4a7b6c09",
        "node24");
    /// <summary>actions/setup-dotnet v5 (action.yml v5.4.0: <c>using: 'node24'</c>).</summary>
    public static ActionVersion SetupDotNet { get; } = new("actions/setup-dotnet", "v5", "v5.4.0",
        "26b0ec14cb23fa6904739307f278c14f94c95bf1", "node24");
    /// <summary>actions/cache v5 (action.yml v5.0.5: <c>using: 'node24'</c>).</summary>
    public static ActionVersion Cache { get; } = new("actions/cache", "v5", "v5.0.5", "27d5ce7f107fe9357f9df03efb73ab90386fccae", "node24");
    /// <summary>actions/upload-artifact v6 (action.yml v6.0.0: <c>using: 'node24'</c>; v5.0.0 still says node20).</summary>
    public static ActionVersion UploadArtifact { get; } = new("actions/upload-artifact", "v6", "v6.0.0",
        "b7c566a772e6b6bfb58ed0dc250532a479d7789f", "node24");
    /// <summary>actions/download-artifact v7 (action.yml v7.0.0: <c>using: 'node24'</c>; v6.0.0 still says node20).</summary>
    public static ActionVersion DownloadArtifact { get; } = new("actions/download-artifact", "v7", "v7.0.0",
        "37930b1c2abaa49bbe596cd826c3c89aef350131", "node24");
    /// <summary>docker/setup-qemu-action v4 (action.yml v4.2.0: <c>using: 'node24'</c>; input <c>platforms</c>).</summary>
    public static ActionVersion SetupQemu { get; } = new("docker/setup-qemu-action", "v4", "v4.2.0",
        "96fe6ef7f33517b61c61be40b68a1882f3264fb8", "node24");
    /// <summary>docker/setup-buildx-action v4 (action.yml v4.3.0: <c>using: 'node24'</c>).</summary>
    public static ActionVersion SetupBuildx { get; } = new("docker/setup-buildx-action", "v4", "v4.3.0",
        "37fe631027851001ddb9b187196cc803df7f5f0e", "node24");
    /// <summary>docker/login-action v4 (action.yml v4.1.0: <c>using: 'node24'</c>).</summary>
    public static ActionVersion Login { get; } = new("docker/login-action", "v4", "v4.1.0", "4907a6ddec9925e35a0a9e82d7399ccc52663121",
        "node24");
    /// <summary>docker/metadata-action v6 (action.yml v6.2.0: <c>using: 'node24'</c>).</summary>
    public static ActionVersion Metadata { get; } = new("docker/metadata-action", "v6", "v6.2.0",
        "dc802804100637a589fabce1cb79ff13a1411302", "node24");
    /// <summary>docker/build-push-action v7 (action.yml v7.3.0: <c>using: 'node24'</c>).</summary>
    public static ActionVersion BuildPush { get; } = new("docker/build-push-action", "v7", "v7.3.0",
        "53b7df96c91f9c12dcc8a07bcb9ccacbed38856a", "node24");
    /// <summary>docker/setup-docker-action v5 (action.yml v5.4.0: <c>using: 'node24'</c>; input <c>set-host</c>, default false).</summary>
    public static ActionVersion SetupDocker { get; } = new("docker/setup-docker-action", "v5", "v5.4.0",
        "77e84dbf09b47d1e29270283c22f16145aa85ca1", "node24");

    /// <summary>
    /// crazy-max/ghaction-github-runtime v4 (action.yml v4.0.0: <c>using: 'node24'</c>; v3.1.0 still says node20). It
    /// re-exports every <c>ACTIONS_*</c> variable of the runner (src/github.ts at v4.0.0) so that <c>run:</c> steps, and the
    /// buildx they start, can reach the GitHub Actions cache; those are otherwise given to JavaScript actions only.
    /// </summary>
    public static ActionVersion GitHubRuntime { get; } = new("crazy-max/ghaction-github-runtime", "v4", "v4.0.0",
        "04d248b84655b509d8c44dc1d6f990c879747487", "node24");

    /// <summary>The whole table.</summary>
    public static IReadOnlyList<ActionVersion> All { get; } =
        [Checkout, SetupDotNet, Cache, UploadArtifact, DownloadArtifact, SetupQemu, SetupBuildx, Login, Metadata, BuildPush, SetupDocker,
            GitHubRuntime];

    /// <summary>The entry for <paramref name="reference"/> (same action and major, or pinned to the entry's commit), or null.</summary>
    public static ActionVersion? Find(ActionReference reference) => All.FirstOrDefault(v => reference.Is(v.Action)
        && (reference.CommitSha is { } sha ? string.Equals(sha, v.CommitSha, StringComparison.OrdinalIgnoreCase)
            : reference.Version == v.Major));
}
