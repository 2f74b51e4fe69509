using MultiArch.Processes;

namespace MultiArch.Docker;

/// <summary>
/// A throwaway registry on a free loopback port with its own temporary storage, for a dry run: the per-arch images
/// are pushed here (the index needs their digests and the check needs what a registry stores), never to the target.
/// Disposing stops it and deletes everything it stored. The server itself is <see cref="RegistryServer"/>.
/// </summary>
public sealed class ScratchRegistry : IAsyncDisposable
{
    readonly RegistryServer _server;

    ScratchRegistry(RegistryServer server) => _server = server;

    /// <summary><c>127.0.0.1:PORT</c>.</summary>
    public string Host => _server.Host;

    /// <summary>Starts one and waits until <c>/v2/</c> answers.</summary>
    /// <exception cref="DockerInputException">No registry binary here, or it did not start: one line with the fix.</exception>
    public static async Task<ScratchRegistry> StartAsync(CancellationToken cancellationToken = default)
    {
        try { return new ScratchRegistry(await RegistryServer.StartThrowawayAsync(cancellationToken)); }
        catch (FileNotFoundException)
        {
            throw new DockerInputException("--dry-run pushes the per-arch images to a throwaway local registry, " +
                $"and {RegistryServer.Binary} is missing: install it (`sudo ./build.sh LocalServices` does), " +
                "or run without --dry-run.");
        }
        catch (TimeoutException)
        {
            throw new DockerInputException("--dry-run could not start its throwaway registry " +
                $"({RegistryServer.Binary}) on 127.0.0.1 after 3 attempts.");
        }
    }

    /// <summary>Stops the registry and deletes its storage.</summary>
    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
