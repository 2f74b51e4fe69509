using System.Net;
using System.Net.Sockets;
using MultiArch.Processes;

namespace MultiArch.Workflows;

/// <summary>
/// A leg's <c>services:</c>, as a hosted runner gives them: started before the first step, on a free host port the
/// steps read as <c>job.services.&lt;id&gt;.ports['&lt;port&gt;']</c>, removed after the last step. An image that evaluates to an
/// empty string starts nothing, as on GitHub. This machine cannot pull images, so only a registry image
/// (<c>registry:*</c>, <c>distribution/distribution:*</c>) is modelled, by Debian's <c>docker-registry</c> (the same
/// distribution server) on 127.0.0.1 with throwaway storage; any other image fails the leg saying so.
/// </summary>
internal sealed class LocalServiceContainers : IAsyncDisposable
{
    const string RegistryBinary = "/usr/bin/docker-registry";
    readonly List<(RunningProcess Process, string Directory)> _running = [];

    LocalServiceContainers() { }

    /// <summary>The <c>job.services</c> context: id → <c>{ id, network, ports }</c>.</summary>
    public Dictionary<string, object?> Context { get; } = new(StringComparer.Ordinal);

    /// <summary>Starts each service whose image is not empty; <paramref name="image"/> evaluates the image expression.</summary>
    /// <exception cref="LocalStepException">A service that cannot be had here, in one line.</exception>
    public static async Task<LocalServiceContainers> StartAsync(IReadOnlyDictionary<string, ServiceContainer> services,
        Func<string, string> image, Action<string> log, CancellationToken cancellation)
    {
        var started = new LocalServiceContainers();
        try
        {
            foreach (var (id, service) in services)
            {
                var name = image(service.Image).Trim();
                if (name.Length == 0) { log($"Service {id}: not started (its image is empty for this run)"); continue; }
                if (!IsRegistry(name))
                    throw new LocalStepException($"Service {id} ({name}): not modelled here (no registry to pull images from); "
                        + "only a registry service is, by Debian's docker-registry.");
                var ports = new Dictionary<string, object?>(StringComparer.Ordinal);
                var host = await started.StartRegistryAsync(cancellation);
                foreach (var port in service.Ports) ports[port.Split('/')[0].Split(':')[^1]] = host.Split(':')[1];
                started.Context[id] = new Dictionary<string, object?> { ["id"] = id, ["network"] = "host", ["ports"] = ports };
                log($"Service {id} ({name}): modelled by {RegistryBinary} on {host}, storage thrown away after the job "
                    + "(a hosted runner pulls the image and maps the port the same way)");
            }
            return started;
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
    }

    static bool IsRegistry(string image)
    {
        var repository = image.Split('@')[0].Split(':')[0];
        return repository is "registry" or "docker.io/library/registry" or "library/registry" or "distribution/distribution"
            or "docker.io/distribution/distribution";
    }

    async Task<string> StartRegistryAsync(CancellationToken cancellation)
    {
        if (!File.Exists(RegistryBinary))
            throw new LocalStepException($"A registry service needs {RegistryBinary} here: install Debian's docker-registry (`sudo " +
                "./build.sh LocalServices`).");
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var directory = Directory.CreateTempSubdirectory("multiarch-service-registry-").FullName;
            int port;
            using (var listener = new TcpListener(IPAddress.Loopback, 0))
            {
                listener.Start();
                port = ((IPEndPoint)listener.LocalEndpoint).Port;
            }
            var config = Path.Combine(directory, "config.yml");
            await File.WriteAllTextAsync(config, $"""
                version: 0.1
                storage:
                  filesystem:
                    rootdirectory: {Path.Combine(directory, "data")}
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:{port}
                """, cancellation);
            var process = ProcessRunner.Start(new ProcessCommand(RegistryBinary, ["serve", config]));
            _running.Add((process, directory));
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline && !process.HasExited;)
            {
                try
                {
                    using var answer = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/v2/"), cancellation);
                    if (answer.IsSuccessStatusCode) return $"127.0.0.1:{port}";
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) when (!cancellation.IsCancellationRequested) { }
                await Task.Delay(100, cancellation);
            }
        }
        throw new LocalStepException($"The registry service ({RegistryBinary}) did not answer on 127.0.0.1 after 3 attempts.");
    }

    /// <summary>Stops every service and deletes its storage.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var (process, directory) in _running)
        {
            await process.DisposeAsync();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        _running.Clear();
    }
}
