using MultiArch.Oci;
using MultiArch.Testing;

namespace MultiArch.Ghcr.Tests;

/// <summary>
/// A real registry plus the GitHub API fake holding one package that has everything the safety rule must handle:
/// tagged multi-arch indexes with attestations, a tagged index over a nested index, a referrer with a subject,
/// a <c>sha256-&lt;hex&gt;</c> referrers-fallback tag, true orphans (one of them a referrer of an orphan) and a fresh push.
/// </summary>
public sealed class CleanupScenario : IAsyncDisposable
{
    /// <summary>The token the fake accepts; tests assert it is never printed.</summary>
    public const string Token = "ghp_FAKE0123456789abcdefSECRETtokenXYZ";

    /// <summary>The package owner.</summary>
    public const string Owner = "acme";

    static readonly TimeSpan Old = TimeSpan.FromDays(2);

    CleanupScenario(RegistryProcess registry, FakeGitHubPackagesApi api, RegistryClient client,
        TestRepository repository, string package) =>
        (Registry, Api, Client, Repository, Package) = (registry, api, client, repository, package);

    /// <summary>The real registry.</summary>
    public RegistryProcess Registry { get; }

    /// <summary>The GitHub API fake.</summary>
    public FakeGitHubPackagesApi Api { get; }

    /// <summary>A client of the registry.</summary>
    public RegistryClient Client { get; }

    /// <summary>Push helpers for the package's repository.</summary>
    public TestRepository Repository { get; }

    /// <summary>The package name (may be nested, e.g. <c>app/dev</c>).</summary>
    public string Package { get; }

    /// <summary>Tags of the registry and the digest each must keep resolving to, with all its children.</summary>
    public List<string> Tags { get; } = [];

    /// <summary>Digests that must be deleted.</summary>
    public List<string> Orphans { get; } = [];

    /// <summary>The untagged version inside the grace period.</summary>
    public string Fresh { get; private set; } = "";

    /// <summary>Digests that must survive although untagged (children, attestations, referrers).</summary>
    public List<string> ProtectedUntagged { get; } = [];

    /// <summary>The image name the cleaner gets: <c>127.0.0.1:PORT/acme/package</c>.</summary>
    public string Image => $"{Registry.Host}/{Owner}/{Package}";

    /// <summary>Starts both services and pushes the package's content.</summary>
    public static async Task<CleanupScenario> StartAsync(string package = "app", bool organization = true)
    {
        ServiceRequirement.Require(Service.Registry | Service.Skopeo);
        var registry = await RegistryProcess.StartAsync();
        var api = await FakeGitHubPackagesApi.StartAsync(Token);
        var client = registry.CreateClient();
        api.AddOwner(Owner, organization);
        // Like GHCR: deleting a package version deletes the manifest from the registry.
        api.OnDeleted = (repository, digest) => client.DeleteManifestAsync(repository, Digest.Parse(digest));
        var scenario = new CleanupScenario(registry, api, client, new TestRepository(client, api, Owner, package), package);
        await scenario.PushAsync();
        return scenario;
    }

    /// <summary>A request for this scenario (confirmed, pacing off, log captured by the caller).</summary>
    public CleanupRequest Request(TextWriter log, bool dryRun = false) => new()
    {
        Image = Image,
        GitHubToken = Token,
        GitHubApiAddress = Api.BaseAddress,
        RegistryUserName = null, // the test registry is open
        DryRun = dryRun,
        MaxDeletionsPerMinute = 0,
        Log = log,
    };

    async Task PushAsync()
    {
        var repo = Repository;
        var (release, releaseChildren) = await repo.PushMultiArchAsync("1.0", 1, Platform.LinuxAmd64, Platform.LinuxArm64);
        await repo.TagAsync(release, "latest");
        repo.List(release, Old, "1.0", "latest");
        Tags.AddRange(["1.0", "latest"]);
        foreach (var child in releaseChildren) ProtectedUntagged.Add(repo.List(child, Old).Digest);

        // 2.0: an index whose only child is another index (nested), as some tools push.
        var innerAmd = await repo.PushImageAsync("nested amd64", Platform.LinuxAmd64);
        var innerArm = await repo.PushImageAsync("nested arm64", Platform.LinuxArm64);
        var inner = await repo.PushIndexAsync("nested inner index", [innerAmd, innerArm]);
        var outer = await repo.PushIndexAsync("nested outer index", [inner], "2.0");
        repo.List(outer, Old, "2.0");
        Tags.Add("2.0");
        foreach (var child in new[] { innerAmd, innerArm, inner }) ProtectedUntagged.Add(repo.List(child, Old).Digest);

        // A signature of 1.0 that says so only through its subject (OCI 1.1 referrer, untagged).
        var signature = await repo.PushImageAsync("signature of 1.0", subject: release,
            artifactType: "application/vnd.dev.cosign.artifact.sig.v1+json");
        ProtectedUntagged.Add(repo.List(signature, Old).Digest);

        // An SBOM of 2.0 known only through the referrers tag schema: an index tagged sha256-<hex of 2.0>.
        var sbom = await repo.PushImageAsync("sbom of 2.0", artifactType: "application/spdx+json");
        var fallbackTag = $"sha256-{outer.Digest.Hex}";
        var fallback = await repo.PushIndexAsync("referrers of 2.0", [sbom], fallbackTag);
        repo.List(fallback, Old, fallbackTag);
        Tags.Add(fallbackTag);
        ProtectedUntagged.Add(repo.List(sbom, Old).Digest);

        // Orphans: leftovers of old builds, an untagged old index with its children, a referrer of an orphan.
        for (var i = 0; i < 3; i++) Orphans.Add(repo.List(await repo.PushImageAsync($"orphan {i}", Platform.LinuxAmd64), Old).Digest);
        var oldAmd = await repo.PushImageAsync("old amd64", Platform.LinuxAmd64);
        var oldArm = await repo.PushImageAsync("old arm64", Platform.LinuxArm64);
        var oldIndex = await repo.PushIndexAsync("old untagged index", [oldAmd, oldArm]);
        foreach (var d in new[] { oldAmd, oldArm, oldIndex }) Orphans.Add(repo.List(d, Old).Digest);
        var orphanSignature = await repo.PushImageAsync("signature of an orphan", subject: oldAmd,
            artifactType: "application/vnd.dev.cosign.artifact.sig.v1+json");
        Orphans.Add(repo.List(orphanSignature, Old).Digest);

        // A build still pushing: untagged, five minutes old, inside the default one-hour grace period.
        Fresh = repo.List(await repo.PushImageAsync("fresh per-arch push", Platform.LinuxAmd64), TimeSpan.FromMinutes(5)).Digest;
    }

    /// <summary>Stops both services.</summary>
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Api.DisposeAsync();
        await Registry.DisposeAsync();
    }
}
