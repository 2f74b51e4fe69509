using MultiArch.Processes;
using System.Net;
using System.Net.Sockets;

namespace MultiArch.Docker;

/// <summary>
/// A throwaway registry on a free loopback port with its own temporary storage, for a dry run: the per-arch images
/// are pushed here (the index needs their digests and the check needs what a registry stores), never to the target.
/// Disposing stops it and deletes everything it stored.
/// </summary>
public sealed class ScratchRegistry : IAsyncDisposable
{
    readonly RunningProcess _process;
    readonly string _directory;

    ScratchRegistry(RunningProcess process, string directory, string host) => (_process, _directory, Host) = (process, directory, host);

    /// <summary><c>127.0.0.1:PORT</c>.</summary>
    public string Host { get; }

    /// <summary>Starts one and waits until <c>/v2/</c> answers.</summary>
    /// <exception cref="DockerInputException">No registry binary here: one line with the fix.</exception>
    public static async Task<ScratchRegistry> StartAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(LocalRegistry.RegistryBinary))
            throw new DockerInputException("--dry-run pushes the per-arch images to a throwaway local registry, " +
                $"and {LocalRegistry.RegistryBinary} is missing: install it (`sudo ./build.sh LocalServices` does), " +
                "or run without --dry-run.");
        for (var attempt = 1; ; attempt++)
        {
            // A port taken between probing and binding makes the registry exit: try another.
            var started = await TryStartAsync(cancellationToken);
            if (started is not null || attempt == 3)
                return started ?? throw new DockerInputException("--dry-run could not start its throwaway registry " +
                    $"({LocalRegistry.RegistryBinary}) on 127.0.0.1 after 3 attempts.");
        }
    }

    static async Task<ScratchRegistry?> TryStartAsync(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("multiarch-dry-run-registry-").FullName;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            var host = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
            listener.Stop();
            var config = Path.Combine(directory, "config.yml");
            await File.WriteAllTextAsync(config, LocalRegistry.Config(host, Path.Combine(directory, "data")), cancellationToken);
            // Its output is drained and dropped (no Output callback), so a chatty registry never blocks on a full pipe.
            var process = ProcessRunner.Start(new ProcessCommand(LocalRegistry.RegistryBinary, ["serve", config]));
            var registry = new ScratchRegistry(process, directory, host);
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (DateTime.UtcNow < deadline && !process.HasExited)
            {
                if (await LocalRegistry.AnswersAsync(host, cancellationToken)) return registry;
                await Task.Delay(100, cancellationToken);
            }
            await registry.DisposeAsync();
            return null;
        }
    }

    /// <summary>Stops the registry and deletes its storage.</summary>
    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
