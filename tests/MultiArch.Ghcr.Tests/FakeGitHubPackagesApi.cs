using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace MultiArch.Ghcr.Tests;

/// <summary>A rate-limit or error answer the fake gives instead of the real one.</summary>
public enum FakeFault
{
    /// <summary>403 "You have exceeded a secondary rate limit" with <c>Retry-After: 1</c>.</summary>
    SecondaryRateLimit,

    /// <summary>403 "API rate limit exceeded" with <c>X-RateLimit-Remaining: 0</c> and a reset one second ahead.</summary>
    PrimaryRateLimit,

    /// <summary>429 with <c>Retry-After: 1</c>.</summary>
    TooManyRequests,

    /// <summary>404 "Package version not found." (a delete of a version someone else already removed).</summary>
    NotFound,

    /// <summary>500 "Server Error", GitHub's body for an internal error.</summary>
    ServerError,
}

/// <summary>
/// GitHub's Packages REST API (the container-version routes) on 127.0.0.1, in GitHub's documented shapes:
/// version objects with <c>metadata.container.tags</c>, <c>per_page</c> capped at 100, <c>Link</c> headers with
/// rel next/prev/first/last, 401 for a wrong token, 403 rate-limit bodies and headers, 429, 404. Served under
/// <c>/api/v3/</c> because Octokit treats any host but api.github.com as GitHub Enterprise.
/// Routing reads the raw request target, so an unescaped nested package name (<c>app/dev</c>) misses like on GitHub.
/// </summary>
public sealed partial class FakeGitHubPackagesApi : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly string _token;
    readonly ConcurrentDictionary<string, bool> _owners = new(StringComparer.OrdinalIgnoreCase); // login -> is organization
    readonly ConcurrentDictionary<string, ConcurrentDictionary<long, FakePackageVersion>> _packages = new(StringComparer.Ordinal);
    readonly ConcurrentQueue<(string Method, FakeFault Fault)> _faults = new();
    readonly ConcurrentQueue<string> _targets = new();
    readonly ConcurrentQueue<DateTimeOffset> _deleteTimes = new();
    long _nextId = 1_000_000;
    int _listRequests, _deleteRequests, _faultsServed;

    FakeGitHubPackagesApi(WebApplication app, string token) => (_app, _token) = (app, token);

    /// <summary>Where Octokit should point: <c>http://127.0.0.1:PORT/</c> (Octokit appends <c>api/v3/</c>).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Delay added to every request (benchmarks: 20 ms).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>
    /// Whether list answers carry GitHub's <c>Link</c> header (default true). False: pages still work, but a client must
    /// walk them one by one until a short page, as behind a proxy that strips the header.
    /// </summary>
    public bool SendsLinkHeader { get; set; } = true;

    /// <summary>
    /// Whether the list route ignores <c>page</c> (default false). True: every request answers the first page and no
    /// <c>Link</c> header, as a misconfigured proxy or an old GitHub Enterprise route does; a client that pages by
    /// count alone never stops.
    /// </summary>
    public bool IgnoresPage { get; set; }

    /// <summary>
    /// Called after a version is deleted, with <c>owner/package</c> and the digest (tests delete it from the
    /// real registry).
    /// </summary>
    public Func<string, string, Task>? OnDeleted { get; set; }

    /// <summary>GET requests to a versions list.</summary>
    public int ListRequests => _listRequests;

    /// <summary>DELETE requests to a version.</summary>
    public int DeleteRequests => _deleteRequests;

    /// <summary>Injected faults that were answered.</summary>
    public int FaultsServed => _faultsServed;

    /// <summary>When each DELETE request arrived, in order.</summary>
    public IReadOnlyCollection<DateTimeOffset> DeleteTimes => _deleteTimes;

    /// <summary>Every raw request target seen, in order.</summary>
    public IReadOnlyCollection<string> RequestTargets => _targets;

    /// <summary>Starts the fake on a random port of 127.0.0.1, accepting only <paramref name="token"/>.</summary>
    public static async Task<FakeGitHubPackagesApi> StartAsync(string token)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeGitHubPackagesApi(app, token);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetService(typeof(IServer)) is IServer server
            ? server.Features.Get<IServerAddressesFeature>()!.Addresses.First()
            : throw new InvalidOperationException("Kestrel did not start.");
        fake.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return fake;
    }

    /// <summary>Declares a user or organization (<c>GET /users/{login}</c> answers its <c>type</c>).</summary>
    public void AddOwner(string login, bool organization) => _owners[login] = organization;

    /// <summary>Adds a container version (name = digest); returns it with its new id.</summary>
    public FakePackageVersion AddVersion(string owner, string package, string digest, DateTimeOffset createdAt, params string[] tags) =>
        AddVersion(owner, package, Interlocked.Increment(ref _nextId), digest, createdAt, tags);

    /// <summary>Adds a container version with a chosen id (GitHub's ids are 64-bit).</summary>
    public FakePackageVersion AddVersion(string owner, string package, long id, string digest,
        DateTimeOffset createdAt, params string[] tags)
    {
        var version = new FakePackageVersion(id, digest, createdAt, tags);
        Package(owner, package)[version.Id] = version;
        return version;
    }

    /// <summary>The versions a package has now.</summary>
    public IReadOnlyList<FakePackageVersion> Versions(string owner, string package) =>
        Package(owner, package).Values.OrderByDescending(v => v.Id).ToList();

    /// <summary>
    /// Answers the next <paramref name="count"/> requests of <paramref name="method"/> (GET or DELETE) with
    /// <paramref name="fault"/>.
    /// </summary>
    public void InjectFault(string method, FakeFault fault, int count = 1)
    {
        for (var i = 0; i < count; i++) _faults.Enqueue((method, fault));
    }

    ConcurrentDictionary<long, FakePackageVersion> Package(string owner, string package) =>
        _packages.GetOrAdd($"{owner.ToLowerInvariant()}/{package}", _ => new());

    async Task HandleAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        _targets.Enqueue($"{context.Request.Method} {target}");
        if (Latency > TimeSpan.Zero) await Task.Delay(Latency);
        context.Response.Headers["X-GitHub-Api-Version-Selected"] = "2022-11-28";

        // GitHub accepts "token X" and "Bearer X", scheme case-insensitive (Octokit sends "Token X").
        var authorization = context.Request.Headers.Authorization.ToString().Split(' ', 2);
        if (authorization.Length != 2 || authorization[1] != _token ||
            !(authorization[0].Equals("token", StringComparison.OrdinalIgnoreCase)
                || authorization[0].Equals("bearer", StringComparison.OrdinalIgnoreCase)))
        {
            await Error(context, 401, "Bad credentials");
            return;
        }

        var path = target.Split('?')[0];
        if (UserRoute().Match(path) is { Success: true } user)
        {
            await GetUser(context, Uri.UnescapeDataString(user.Groups[1].Value));
            return;
        }
        if (VersionsRoute().Match(path) is not { Success: true } route)
        {
            await Error(context, 404, "Not Found");
            return;
        }
        var isOrg = route.Groups[1].Value == "orgs";
        var owner = Uri.UnescapeDataString(route.Groups[2].Value);
        var package = Uri.UnescapeDataString(route.Groups[3].Value); // %2F -> '/', once, like GitHub
        var key = $"{owner.ToLowerInvariant()}/{package}";
        var method = context.Request.Method;
        if (method == "GET" && !route.Groups[4].Success) Interlocked.Increment(ref _listRequests);
        if (method == "DELETE")
        {
            Interlocked.Increment(ref _deleteRequests);
            _deleteTimes.Enqueue(DateTimeOffset.UtcNow);
        }

        if (TakeFault(method) is { } fault)
        {
            Interlocked.Increment(ref _faultsServed);
            await Fault(context, fault);
            return;
        }
        if (!_owners.TryGetValue(owner, out var ownerIsOrg) || ownerIsOrg != isOrg || !_packages.TryGetValue(key, out var versions))
        {
            await Error(context, 404, "Package not found.");
            return;
        }

        if (method == "GET" && !route.Groups[4].Success)
            await List(context, versions, target);
        else if (method == "DELETE" && route.Groups[4].Success)
        {
            if (!versions.TryRemove(long.Parse(route.Groups[4].Value, CultureInfo.InvariantCulture), out var removed))
            {
                await Error(context, 404, "Package version not found.");
                return;
            }
            if (OnDeleted is { } onDeleted) await onDeleted(key, removed.Digest);
            context.Response.StatusCode = 204;
        }
        else
            await Error(context, 404, "Not Found");
    }

    /// <summary>Stops Kestrel.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [GeneratedRegex("^/api/v3/users/([^/]+)$")]
    private static partial Regex UserRoute();

    [GeneratedRegex("^/api/v3/(orgs|users)/([^/]+)/packages/container/([^/]+)/versions(?:/([0-9]+))?$")]
    private static partial Regex VersionsRoute();
}

/// <summary>One version in the fake's state.</summary>
/// <param name="Id">The version id.</param>
/// <param name="Digest">The manifest digest (the version's name).</param>
/// <param name="CreatedAt">When it was "pushed".</param>
/// <param name="Tags">Its tags.</param>
public sealed record FakePackageVersion(long Id, string Digest, DateTimeOffset CreatedAt, IReadOnlyList<string> Tags);
