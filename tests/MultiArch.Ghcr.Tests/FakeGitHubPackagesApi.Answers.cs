using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace MultiArch.Ghcr.Tests;

// The fake's answers in GitHub's shapes: the user, a page of versions with its Link header, the injected faults, errors.
public sealed partial class FakeGitHubPackagesApi
{
    async Task GetUser(HttpContext context, string login)
    {
        if (!_owners.TryGetValue(login, out var isOrg))
        {
            await Error(context, 404, "Not Found");
            return;
        }
        await Json(context, 200, new Dictionary<string, object>
        {
            ["login"] = login,
            ["id"] = Math.Abs(login.GetHashCode()),
            ["type"] = isOrg ? "Organization" : "User",
            ["url"] = $"{BaseAddress}api/v3/users/{login}",
            ["created_at"] = "2020-01-01T00:00:00Z",
            ["updated_at"] = "2020-01-01T00:00:00Z",
        });
    }

    async Task List(HttpContext context, ConcurrentDictionary<long, FakePackageVersion> versions, string target)
    {
        var query = context.Request.Query;
        // GitHub: per_page defaults to 30 and is capped at 100; page starts at 1.
        var perPage = Math.Clamp(int.TryParse(query["per_page"], out var p) ? p : 30, 1, 100);
        var page = IgnoresPage ? 1 : Math.Max(1, int.TryParse(query["page"], out var n) ? n : 1);
        var all = versions.Values.OrderByDescending(v => v.Id).ToList(); // newest first, as GitHub lists them
        var lastPage = Math.Max(1, (all.Count + perPage - 1) / perPage);
        var path = target.Split('?')[0];
        string Link(int number, string rel) =>
            $"<{BaseAddress.ToString().TrimEnd('/')}{path}?per_page={perPage}&page={number}>; rel=\"{rel}\"";
        var links = new List<string>();
        if (page < lastPage) links.AddRange([Link(page + 1, "next"), Link(lastPage, "last")]);
        if (page > 1) links.AddRange([Link(page - 1, "prev"), Link(1, "first")]);
        if (links.Count > 0 && SendsLinkHeader && !IgnoresPage) context.Response.Headers["Link"] = string.Join(", ", links);
        var items = all.Skip((page - 1) * perPage).Take(perPage).Select(v => ToJson(v, path)).ToList();
        await Json(context, 200, items);
    }

    Dictionary<string, object> ToJson(FakePackageVersion v, string listPath) => new()
    {
        ["id"] = v.Id,
        ["name"] = v.Digest,
        ["url"] = $"{BaseAddress.ToString().TrimEnd('/')}{listPath}/{v.Id}",
        ["package_html_url"] = $"{BaseAddress}packages",
        ["created_at"] = v.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        ["updated_at"] = v.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        ["html_url"] = $"{BaseAddress}packages/{v.Id}",
        ["metadata"] = new Dictionary<string, object>
        {
            ["package_type"] = "container",
            ["container"] = new Dictionary<string, object> { ["tags"] = v.Tags },
        },
    };

    FakeFault? TakeFault(string method)
    {
        // Faults are consumed in order by the first request of their method.
        if (_faults.TryPeek(out var next) && next.Method == method && _faults.TryDequeue(out var taken)) return taken.Fault;
        return null;
    }

    Task Fault(HttpContext context, FakeFault fault)
    {
        var headers = context.Response.Headers;
        switch (fault)
        {
            case FakeFault.SecondaryRateLimit:
                headers["Retry-After"] = "1";
                return Error(context, 403,
                    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. " +
                    "If you reach out to GitHub Support for help, please include the request ID.");
            case FakeFault.PrimaryRateLimit:
                headers["X-RateLimit-Limit"] = "5000";
                headers["X-RateLimit-Remaining"] = "0";
                headers["X-RateLimit-Used"] = "5000";
                headers["X-RateLimit-Reset"] =
                    DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                headers["X-RateLimit-Resource"] = "core";
                return Error(context, 403, "API rate limit exceeded for installation ID 1.");
            case FakeFault.TooManyRequests:
                headers["Retry-After"] = "1";
                return Error(context, 429, "Too many requests");
            case FakeFault.ServerError:
                return Error(context, 500, "Server Error");
            default:
                return Error(context, 404, "Package version not found.");
        }
    }

    static Task Error(HttpContext context, int status, string message) => Json(context, status, new Dictionary<string, object>
    {
        ["message"] = message,
        ["documentation_url"] = "https://docs.github.com/rest/packages/packages",
        ["status"] = status.ToString(CultureInfo.InvariantCulture),
    });

    static async Task Json(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
