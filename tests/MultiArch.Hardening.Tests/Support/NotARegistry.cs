using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MultiArch.Hardening.Tests;

/// <summary>
/// An ordinary web server on 127.0.0.1 that is not a registry: every path, <c>/v2/</c> included, answers 404 (or
/// another status) with an HTML page, like a web app someone typed as --registry by mistake.
/// </summary>
public sealed class NotARegistry : IAsyncDisposable
{
    readonly WebApplication _app;

    NotARegistry(WebApplication app, string host) => (_app, Host) = (app, host);

    /// <summary>The server's <c>127.0.0.1:PORT</c>.</summary>
    public string Host { get; }

    /// <summary>Starts the server on a random port, answering every request with <paramref name="status"/> and a page.</summary>
    public static async Task<NotARegistry> StartAsync(int status = 404)
    {
        var (app, host) = await LoopbackWebServer.StartAsync(context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/html";
            return context.Response.WriteAsync(status == 404 ? "<html><body><h1>Not Found</h1></body></html>"
                : "<!DOCTYPE html>\n<html><body><h1>Welcome</h1></body></html>");
        });
        return new NotARegistry(app, host);
    }

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
