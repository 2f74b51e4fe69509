using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MultiArch.Hardening.Tests;

/// <summary>
/// A registry on 127.0.0.1 that stops answering: <c>GET /v2/</c> answers 200 like an open registry (so docker's own
/// 15 s ping timeout never fires), every other request is accepted and never answered, as when a registry's storage
/// backend hangs. dockerd 20.10 treats 127.0.0.0/8 as an insecure registry, so plain HTTP reaches it.
/// </summary>
public sealed class HangingRegistry : IAsyncDisposable
{
    WebApplication? _app;
    int _hung;

    /// <summary>The registry's <c>127.0.0.1:PORT</c>.</summary>
    public string Host { get; private set; } = "";

    /// <summary>How many requests it has left hanging.</summary>
    public int Hung => Volatile.Read(ref _hung);

    /// <summary>Starts it on a random port.</summary>
    public static async Task<HangingRegistry> StartAsync()
    {
        var registry = new HangingRegistry();
        (registry._app, registry.Host) = await LoopbackWebServer.StartAsync(registry.AnswerAsync);
        return registry;
    }

    async Task AnswerAsync(HttpContext context)
    {
        if (context.Request.Method == "GET" && context.Request.Path == "/v2/")
        {
            context.Response.Headers["Docker-Distribution-Api-Version"] = "registry/2.0";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{}");
            return;
        }
        Interlocked.Increment(ref _hung);
        try { await Task.Delay(Timeout.Infinite, context.RequestAborted); }
        catch (OperationCanceledException) { }
    }

    /// <summary>Stops it (hanging requests are aborted).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
