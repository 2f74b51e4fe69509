using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MultiArch.Oci.Tests;

/// <summary>
/// A registry that accepts connections and never answers: each request ends within the retry budget, saying it timed
/// out and after how long, instead of stalling a full attempt timeout and ending "The operation was canceled." (issue 13).
/// </summary>
[Trait("Category", "Unit")]
public sealed class HangingRegistryTests
{
    [Fact]
    public async Task A_registry_that_never_answers_times_out_within_the_budget_and_says_so()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = new List<Socket>();
        using var stop = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested) accepted.Add(await listener.AcceptSocketAsync(stop.Token)); // and never answer
        });
        var host = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        using var client = new RegistryClient(host, new RegistryClientOptions
        {
            Retry = new RetryPolicy { MaxTotalTime = TimeSpan.FromSeconds(3), BaseDelay = TimeSpan.FromMilliseconds(100) },
        });
        var stopwatch = Stopwatch.StartNew();

        var ping = client.PingAsync();
        var ended = await Task.WhenAny(ping, Task.Delay(TimeSpan.FromSeconds(30))) == ping;
        stop.Cancel();

        ended.Should().BeTrue("a 3 s budget must hold, not the 5-minute attempt timeout");
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(6));
        var message = ping.Exception!.InnerException.Should().BeOfType<OciRegistryException>().Which.Message;
        message.Should().Contain("timed out after 3 s").And.Contain(host).And.NotContain("The operation was canceled");
        foreach (var socket in accepted) socket.Dispose();
    }
}
