using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace MultiArch.Ghcr.Tests;

// The rate-limit and error answers a test injects, in the headers and bodies GitHub sends.
public sealed partial class FakeGitHubPackagesApi
{
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
                    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out " +
                        "to GitHub Support for help, please include the request ID.");
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
}
