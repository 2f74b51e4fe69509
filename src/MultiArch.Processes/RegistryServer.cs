using System.Net;
using System.Net.Sockets;

namespace MultiArch.Processes;

/// <summary>
/// Debian's <c>docker-registry</c> (the distribution server) as a child process: its config, the <c>/v2/</c> probe,
/// and a throwaway instance on a free 127.0.0.1 port with its own temporary storage, which disposing stops and deletes.
/// The dry run pushes its per-arch images to one; the local workflow runner stands one in for a job's registry service.
/// </summary>
public sealed class RegistryServer : IAsyncDisposable
{
    /// <summary>Debian's registry binary (package docker-registry).</summary>
    public const string Binary = "/usr/bin/docker-registry";

    readonly RunningProcess _process;
    readonly string _directory;

    RegistryServer(RunningProcess process, string directory, string host) => (_process, _directory, Host) = (process, directory, host);

    /// <summary><c>127.0.0.1:PORT</c>.</summary>
    public string Host { get; }

    /// <summary>Starts a throwaway one and waits until <c>/v2/</c> answers.</summary>
    /// <exception cref="FileNotFoundException"><see cref="Binary"/> is not installed.</exception>
    /// <exception cref="TimeoutException">It did not answer, three times (a port taken between probe and bind).</exception>
    public static async Task<RegistryServer> StartThrowawayAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(Binary)) throw new FileNotFoundException($"{Binary} is missing", Binary);
        for (var attempt = 1; attempt <= 3; attempt++)
            if (await TryStartAsync(cancellationToken) is { } started) return started;
        throw new TimeoutException($"{Binary} did not answer on 127.0.0.1 after 3 attempts");
    }

    static async Task<RegistryServer?> TryStartAsync(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("multiarch-throwaway-registry-").FullName;
        string host;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            host = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        }
        var config = Path.Combine(directory, "config.yml");
        await File.WriteAllTextAsync(config, Config(host, Path.Combine(directory, "data")), cancellationToken);
        // Its output is drained and dropped (no Output callback), so a chatty registry never blocks on a full pipe.
        var process = ProcessRunner.Start(new ProcessCommand(Binary, ["serve", config]));
        var registry = new RegistryServer(process, directory, host);
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline && !process.HasExited;)
        {
            if (await AnswersAsync(host, cancellationToken)) return registry;
            await Task.Delay(100, cancellationToken);
        }
        await registry.DisposeAsync();
        return null;
    }

    /// <summary>True when something answers HTTP on <c>http://host/v2/</c> (200, or 401 from a registry with auth).</summary>
    public static async Task<bool> AnswersAsync(string host, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = await http.GetAsync(new Uri($"http://{host}/v2/"), cancellationToken);
            return response.Headers.Contains("Docker-Distribution-Api-Version") || (int)response.StatusCode is 200 or 401;
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The registry's config: filesystem storage with deletes enabled, serving on <paramref name="host"/>.</summary>
    public static string Config(string host, string dataDirectory) => $"""
        version: 0.1
        log:
          level: warn
        storage:
          filesystem:
            rootdirectory: {dataDirectory}
          delete:
            enabled: true
        http:
          addr: {host}
        """;

    /// <summary>Stops the registry and deletes its storage.</summary>
    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
