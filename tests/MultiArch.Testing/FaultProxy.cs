using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MultiArch.Testing;

/// <summary>
/// An HTTP proxy on 127.0.0.1 in front of any upstream (a registry, the GitHub API fake) that injects a share of
/// faults: 500/502/503, 429 with <c>Retry-After</c>, connections reset mid-body, slow answers. Which requests get
/// a fault is decided by a seeded random sequence, so a sequential client sees the same faults every run.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Host",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly Random _random;
    private readonly ConcurrentDictionary<FaultKind, int> _injected = new();
    private readonly ConcurrentQueue<ProxiedRequest> _log = new();
    private int _requests;
    private long _bytesFromClients, _bytesToClients;

    private FaultProxy(WebApplication app, Uri upstream, int seed)
    {
        (_app, Upstream, _random) = (app, upstream, new Random(seed));
        _upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            Timeout = TimeSpan.FromMinutes(5),
        };
    }

    /// <summary>Where requests are forwarded.</summary>
    public Uri Upstream { get; }

    /// <summary>The proxy's <c>127.0.0.1:PORT</c> (use it as the registry host).</summary>
    public string Host { get; private set; } = "";

    /// <summary>Share of requests that get a fault, 0 to 1. Can be changed while running (e.g. 0 while seeding).</summary>
    public double FaultRate { get; set; }

    /// <summary>The faults to choose from (uniformly).</summary>
    public IReadOnlyList<FaultKind> Kinds { get; set; } = Enum.GetValues<FaultKind>();

    /// <summary>Delay of a <see cref="FaultKind.Slow"/> answer.</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>The <c>Retry-After</c> seconds sent with 429.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>
    /// Answers 500 (without forwarding) to every request this matches, given method and path, whatever
    /// <see cref="FaultRate"/> says: a mirror that always fails at one step.
    /// </summary>
    public Func<string, string, bool>? FailWhen { get; set; }

    /// <summary>Every request seen, in arrival order, as the registry's request log would show it, plus its body size.</summary>
    public IReadOnlyList<ProxiedRequest> RequestLog => [.. _log];

    /// <summary>Forgets the request log so far (e.g. the requests that seeded the test's images).</summary>
    public void ClearLog() => _log.Clear();

    /// <summary>Requests seen.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Bytes clients sent through the proxy: request line, headers and bodies.</summary>
    public long BytesFromClients => Interlocked.Read(ref _bytesFromClients);

    /// <summary>Bytes the proxy sent back to clients: status line, headers and bodies.</summary>
    public long BytesToClients => Interlocked.Read(ref _bytesToClients);

    /// <summary>Faults injected so far, by kind.</summary>
    public IReadOnlyDictionary<FaultKind, int> Injected => new Dictionary<FaultKind, int>(_injected);

    /// <summary>Total faults injected.</summary>
    public int InjectedTotal => _injected.Values.Sum();

    /// <summary>Starts a proxy for <paramref name="upstream"/> (e.g. <c>http://127.0.0.1:5000</c>).</summary>
    public static async Task<FaultProxy> StartAsync(Uri upstream, double faultRate = 0.3, int seed = 42,
        IReadOnlyList<FaultKind>? kinds = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = null; // layers can be large
        });
        var app = builder.Build();
        var proxy = new FaultProxy(app, upstream, seed) { FaultRate = faultRate };
        if (kinds is not null) proxy.Kinds = kinds;
        app.Run(proxy.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        proxy.Host = new Uri(address).Authority;
        return proxy;
    }

    private FaultKind? NextFault()
    {
        lock (_random)
        {
            var roll = _random.NextDouble();
            var pick = _random.Next(Kinds.Count);
            return roll < FaultRate && Kinds.Count > 0 ? Kinds[pick] : null;
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var pathAndQuery = context.Request.Path + context.Request.QueryString;
        if (FailWhen?.Invoke(context.Request.Method, context.Request.Path.Value ?? "") == true)
        {
            _log.Enqueue(new ProxiedRequest(context.Request.Method, pathAndQuery, 0, 500));
            context.Response.StatusCode = 500;
            await context.Response.WriteAsync("injected fault");
            return;
        }
        var fault = NextFault();
        if (fault is { } kind) _injected.AddOrUpdate(kind, 1, (_, n) => n + 1);
        switch (fault)
        {
            case FaultKind.InternalServerError or FaultKind.BadGateway or FaultKind.ServiceUnavailable:
                context.Response.StatusCode = fault switch { FaultKind.InternalServerError => 500, FaultKind.BadGateway => 502, _ => 503 };
                await context.Response.WriteAsync("injected fault");
                return;
            case FaultKind.TooManyRequests:
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
                await context.Response.WriteAsync("injected rate limit");
                return;
            case FaultKind.Slow:
                await Task.Delay(SlowDelay, context.RequestAborted);
                break;
        }

        using var forwarded = new HttpRequestMessage(new HttpMethod(context.Request.Method),
            new Uri(Upstream, context.Request.Path + context.Request.QueryString));
        var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        Interlocked.Add(ref _bytesFromClients, context.Request.Method.Length + (context.Request.Path.Value?.Length ?? 0) +
            (context.Request.QueryString.Value?.Length ?? 0) + 12 + HeaderBytes(context.Request.Headers) + body.Length);
        if (body.Length > 0 || context.Request.ContentLength is not null || context.Request.Method is "PUT" or "POST" or "PATCH")
            forwarded.Content = new ByteArrayContent(body.ToArray());
        foreach (var (name, values) in context.Request.Headers)
        {
            if (HopByHop.Contains(name)) continue;
            if (!forwarded.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values!))
                forwarded.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values!);
        }
        // Keep the client's Host so the upstream builds Location URLs that point back through the proxy.
        forwarded.Headers.Host = context.Request.Host.Value;

        using var response = await _upstream.SendAsync(forwarded, context.RequestAborted);
        _log.Enqueue(new ProxiedRequest(context.Request.Method, pathAndQuery, body.Length, (int)response.StatusCode));
        var content = await response.Content.ReadAsByteArrayAsync(context.RequestAborted);
        if (fault == FaultKind.ResetMidBody && (content.Length < 2 || context.Request.Method == "HEAD"))
        {
            context.Abort(); // the upstream did the work, the client never hears about it
            return;
        }
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            if (!HopByHop.Contains(name)) context.Response.Headers[name] = values.ToArray();
        context.Response.ContentLength = context.Request.Method == "HEAD" ? response.Content.Headers.ContentLength : content.Length;
        Interlocked.Add(ref _bytesToClients, 15 + HeaderBytes(context.Response.Headers) +
            (context.Request.Method == "HEAD" ? 0 : content.Length));
        if (context.Request.Method == "HEAD") return;
        if (fault == FaultKind.ResetMidBody)
        {
            await context.Response.Body.WriteAsync(content.AsMemory(0, content.Length / 2), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            context.Abort();
            return;
        }
        await context.Response.Body.WriteAsync(content, context.RequestAborted);
    }

    private static long HeaderBytes(IHeaderDictionary headers) =>
        headers.Sum(h => h.Key.Length + 4 + h.Value.Sum(v => (v ?? "").Length + 2));

    /// <summary>A one-line summary of injected faults, for reports.</summary>
    public override string ToString() =>
        $"{Requests} requests, {InjectedTotal} faults " +
        $"({string.Join(", ", _injected.OrderBy(x => x.Key).Select(x => $"{x.Key} {x.Value}"))})";

    /// <summary>Stops the proxy.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}

/// <summary>A request a <see cref="FaultProxy"/> forwarded (or failed on purpose).</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="PathAndQuery">Path and query, e.g. <c>/v2/demo/app/blobs/uploads/?mount=sha256:…&amp;from=demo/src</c>.</param>
/// <param name="BodyBytes">Bytes of the request body (the layer bytes of a blob upload).</param>
/// <param name="Status">The status the client got.</param>
public sealed record ProxiedRequest(string Method, string PathAndQuery, long BodyBytes, int Status);
