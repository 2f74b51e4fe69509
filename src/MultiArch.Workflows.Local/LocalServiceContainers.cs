using MultiArch.Processes;

namespace MultiArch.Workflows.Local;

/// <summary>
/// A leg's <c>services:</c>, as a hosted runner gives them: started before the first step, on a free host port the
/// steps read as <c>job.services.&lt;id&gt;.ports['&lt;port&gt;']</c>, removed after the last step. An image that evaluates to an
/// empty string starts nothing, as on GitHub. This machine cannot pull images, so only a registry image
/// (<c>registry:*</c>, <c>distribution/distribution:*</c>) is modelled, by Debian's <c>docker-registry</c> (the same
/// distribution server) on 127.0.0.1 with throwaway storage; any other image fails the leg saying so.
/// </summary>
internal sealed class LocalServiceContainers : IAsyncDisposable
{
    readonly List<RegistryServer> _running = [];

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
                log($"Service {id} ({name}): modelled by {RegistryServer.Binary} on {host}, storage thrown away after the job "
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
        try
        {
            var server = await RegistryServer.StartThrowawayAsync(cancellation);
            _running.Add(server);
            return server.Host;
        }
        catch (FileNotFoundException)
        {
            throw new LocalStepException($"A registry service needs {RegistryServer.Binary} here: install Debian's docker-registry "
                + "(`sudo ./build.sh LocalServices`).");
        }
        catch (TimeoutException)
        {
            throw new LocalStepException($"The registry service ({RegistryServer.Binary}) did not answer on 127.0.0.1 after 3 attempts.");
        }
    }

    /// <summary>Stops every service and deletes its storage.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var server in _running) await server.DisposeAsync();
        _running.Clear();
    }
}
