using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MultiArch.Hardening.Tests;

/// <summary>A Kestrel server on 127.0.0.1 with a random port, answering every request with one handler.</summary>
public static class LoopbackWebServer
{
    /// <summary>Starts it; dispose the app to stop it.</summary>
    /// <returns>The running app and its <c>127.0.0.1:PORT</c>.</returns>
    public static async Task<(WebApplication App, string Host)> StartAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        var address = app.Services.GetService(typeof(IServer)) is IServer server
            ? server.Features.Get<IServerAddressesFeature>()!.Addresses.First()
            : throw new InvalidOperationException("Kestrel did not start.");
        return (app, new Uri(address).Authority);
    }
}
