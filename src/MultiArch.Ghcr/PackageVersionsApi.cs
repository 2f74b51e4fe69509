using SecretMasker = MultiArch.Processes.SecretMasker;
using System.Net;
using System.Web;
using Octokit;

namespace MultiArch.Ghcr;

/// <summary>
/// GitHub's package-versions REST API through Octokit: owner detection, listing (100 a page, pages after the first
/// fetched concurrently) and deletion. Octokit puts the package name into the route unescaped, so a nested name
/// (<c>app/dev</c>) is passed as <c>app%2Fdev</c>; Octokit keeps that escape as it is.
/// </summary>
internal sealed class PackageVersionsApi
{
    const int PageSize = 100; // GitHub's per_page maximum
    const int MaxPages = 1000; // 100,000 versions: past that the listing stops with a warning instead of running on
    readonly GitHubClient _client;
    readonly CleanupRequest _request;
    readonly SecretMasker _redactor;
    readonly RateLimitRetry _retry;
    readonly string _owner;
    readonly string _packageName;
    readonly string _escapedName;
    OwnerKind _kind;
    int _listRequests;
    int _deleteRequests;

    public PackageVersionsApi(CleanupRequest request, string owner, string packageName, SecretMasker redactor)
    {
        _request = request;
        _owner = owner;
        _packageName = packageName;
        _escapedName = Uri.EscapeDataString(packageName);
        _redactor = redactor;
        _retry = new RateLimitRetry(request, redactor);
        _kind = request.OwnerKind;
        _client = new GitHubClient(new ProductHeaderValue("MultiArch"), request.GitHubApiAddress ?? CleanupRequest.GitHubComApi)
        {
            Credentials = new Credentials(request.GitHubToken),
        };
    }

    /// <summary>REST requests made to list versions.</summary>
    public int ListRequests => _listRequests;

    /// <summary>REST delete requests made.</summary>
    public int DeleteRequests => _deleteRequests;

    /// <summary>REST requests repeated after a rate-limit answer.</summary>
    public int Retries => _retry.Retries;

    /// <summary>What listing had to cut short (a route that ignores <c>page</c>, the page cap), one line each.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Lists every active version of the package.</summary>
    public async Task<IReadOnlyList<ListedVersion>> ListAsync(CancellationToken cancellationToken)
    {
        await ResolveOwnerKindAsync(cancellationToken);
        var first = await ListPageAsync(1, cancellationToken);
        var pages = new List<IReadOnlyList<PackageVersion>> { first };
        var lastPage = LastPageNumber();
        if (lastPage > MaxPages)
        {
            Warnings.Add($"Package '{_packageName}' has {lastPage} pages of versions: " +
                $"only the first {MaxPages} ({MaxPages * PageSize} versions) were listed; run the cleanup again to go further.");
            lastPage = MaxPages;
        }
        if (lastPage > 1)
        {
            var rest = new IReadOnlyList<PackageVersion>[lastPage - 1];
            await Parallel.ForEachAsync(Enumerable.Range(2, lastPage - 1),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _request.ApiConcurrency),
                    CancellationToken = cancellationToken },
                async (page, token) => rest[page - 2] = await ListPageAsync(page, token));
            pages.AddRange(rest);
        }
        else
        {
            // No rel="last": follow pages one by one until a short page. An API that ignores 'page' answers the first
            // page again and again: stop at the first page that adds no new id, and at the page cap.
            var seen = first.Select(v => v.Id).ToHashSet();
            for (var page = 2; pages[^1].Count == PageSize; page++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (page > MaxPages)
                {
                    Warnings.Add($"Listing of package '{_packageName}' stopped at the page cap ({MaxPages} pages, " +
                        $"{seen.Count} versions); run the cleanup again to go further.");
                    break;
                }
                var next = await ListPageAsync(page, cancellationToken);
                var added = next.Count(v => seen.Add(v.Id));
                if (added == 0)
                {
                    Warnings.Add($"GitHub's listing of package '{_packageName}' page {page} added no new versions (the API " +
                        "ignores 'page' and sends no Link header): " +
                                 $"only the {seen.Count} versions listed so far were considered.");
                    break;
                }
                pages.Add(next);
            }
        }

        // A version pushed while listing shifts later pages; the same id may then appear twice.
        return pages.SelectMany(p => p).DistinctBy(v => v.Id).Select(ToListed).ToList();
    }

    /// <summary>Deletes one version; false when GitHub says it is already gone (404 after a successful listing).</summary>
    public async Task<bool> DeleteAsync(ListedVersion version, CancellationToken cancellationToken)
    {
        var id = checked((int)version.Id); // REST ids are long, Octokit's delete routes take int; the plan keeps larger ids
        try
        {
            await _retry.RunAsync($"deleting version {version.Id}", async () =>
            {
                Interlocked.Increment(ref _deleteRequests);
                if (_kind == OwnerKind.Organization)
                    await _client.Packages.PackageVersions.DeleteForOrg(_owner, PackageType.Container, _escapedName, id);
                else
                    await _client.Packages.PackageVersions.DeleteForUser(_owner, PackageType.Container, _escapedName, id);
                return true;
            }, cancellationToken);
            return true;
        }
        catch (NotFoundException)
        {
            return false;
        }
        catch (ApiException e)
        {
            throw Explain(e, $"deleting version {version.Id} ({version.Digest})");
        }
    }

    /// <summary>The explanation a user needs when a delete answered 404 although listing worked.</summary>
    public string NotFoundOnDeleteWarning(ListedVersion version) =>
        $"Version {version.Id} ({version.Digest}) answered 404 on delete: already deleted, or {PermissionCauses}";

    async Task ResolveOwnerKindAsync(CancellationToken cancellationToken)
    {
        if (_kind != OwnerKind.Detect) return;
        try
        {
            var user = await _retry.RunAsync($"looking up owner '{_owner}'", () => _client.User.Get(_owner), cancellationToken)
                ?? throw NotGitHub($"looking up owner '{_owner}'");
            _kind = user.Type == AccountType.Organization ? OwnerKind.Organization : OwnerKind.User;
        }
        catch (NotFoundException e)
        {
            throw new GhcrCleanupException(
                $"GitHub has no user or organization '{_owner}' (from image '{_request.Image}'); " +
                "check the image name or set OwnerKind.", e);
        }
        catch (ApiException e)
        {
            throw Explain(e, $"looking up owner '{_owner}'");
        }
    }

    async Task<IReadOnlyList<PackageVersion>> ListPageAsync(int page, CancellationToken cancellationToken)
    {
        var options = new ApiOptions { PageSize = PageSize, PageCount = 1, StartPage = page };
        try
        {
            return await _retry.RunAsync($"listing versions page {page}", () =>
            {
                Interlocked.Increment(ref _listRequests);
                // Octokit takes no cancellation token: a cancelled run stops waiting for the page (reading changes nothing).
                return (_kind == OwnerKind.Organization
                    ? _client.Packages.PackageVersions.GetAllForOrg(_owner, PackageType.Container, _escapedName,
                        PackageVersionState.Active, options)
                    : _client.Packages.PackageVersions.GetAllForUser(_owner, PackageType.Container, _escapedName,
                        PackageVersionState.Active, options))
                    .WaitAsync(cancellationToken);
            }, cancellationToken) ?? throw NotGitHub($"listing versions page {page}");
        }
        catch (ApiException e)
        {
            throw Explain(e, "listing versions");
        }
    }

    int LastPageNumber()
    {
        // Safe here: the first page is the only request in flight, so the last response is its response.
        var links = _client.GetLastApiInfo()?.Links;
        if (links is null || !links.TryGetValue("last", out var last)) return 1;
        return int.TryParse(HttpUtility.ParseQueryString(last.Query)["page"], out var page) ? page : 1;
    }

    static ListedVersion ToListed(PackageVersion v)
    {
        var created = v.CreatedAt.Kind == DateTimeKind.Unspecified
            ? new DateTimeOffset(v.CreatedAt, TimeSpan.Zero)
            : new DateTimeOffset(v.CreatedAt.ToUniversalTime());
        return new ListedVersion(v.Id, v.Name, created, v.Metadata?.Container?.Tags ?? []);
    }

    /// <summary>The failure when every delete answered 404 and the versions are still listed: a permission, not a race.</summary>
    public string AllDeletesNotFound(string image, int count) =>
        $"GitHub answered 404 to all {count} deletions in {image} and those versions are still listed, so nothing was deleted: " +
        $"the workflow's repository lacks Admin access to package '{_packageName}' (package settings > Manage Actions access: " +
        "give the repository the Admin role), " +
        "or the token lacks delete:packages (in Actions: 'permissions: packages: write').";

    string PermissionCauses =>
        $"the token lacks the read:packages/delete:packages scope (in Actions: 'permissions: packages: write'), " +
        $"or the workflow's repository lacks Admin access to package '{_packageName}' (package settings > Manage Actions access).";

    GhcrCleanupException Explain(ApiException e, string what) => new(_redactor.Mask(e.StatusCode switch
    {
        HttpStatusCode.NotFound => $"GitHub answered 404 {what} for package '{_packageName}' of '{_owner}': " +
            $"the package does not exist, {PermissionCauses}",
        HttpStatusCode.Unauthorized => $"GitHub rejected the token {what} for package '{_packageName}' (401); " +
            "pass a valid token (GITHUB_TOKEN or the token parameter).",
        HttpStatusCode.Forbidden => $"GitHub refused {what} for package '{_packageName}' (403): {PermissionCauses}",
        _ => $"GitHub answered {(int)e.StatusCode} {what} for package '{_packageName}': {OneLine(e.Message)}",
    }), e);

    // Octokit turns a body that is not JSON (a web page answered with 200) into null rather than an error.
    GhcrCleanupException NotGitHub(string what) => new(
        $"{_request.GitHubApiAddress ?? CleanupRequest.GitHubComApi} did not answer with GitHub's JSON {what} (a web page?): " +
        "is it GitHub's REST API (https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise)? Check --github-api-url.");

    static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
