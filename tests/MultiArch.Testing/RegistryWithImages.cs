using MultiArch.Oci;

namespace MultiArch.Testing;

/// <summary>
/// The shared fixture for "a registry with these images": a fresh <see cref="RegistryProcess"/>, a client with its
/// credentials, and one image per platform pushed under its per-arch tag (<see cref="TestImages.PushPlatformsAsync"/>).
/// <c>await using var (registry, client, images) = ...</c> is not C#, so: <c>await using var fixture = ...;
/// var (registry, client, sources) = fixture;</c>.
/// </summary>
public sealed class RegistryWithImages : IAsyncDisposable
{
    RegistryWithImages(RegistryProcess registry, RegistryClient client, List<DigestRecord> images) =>
        (Registry, Client, Images) = (registry, client, images);

    /// <summary>The registry (stopped, with its storage deleted, on dispose).</summary>
    public RegistryProcess Registry { get; }

    /// <summary>A client for it with its credentials.</summary>
    public RegistryClient Client { get; }

    /// <summary>The per-arch images pushed, in the order of the platforms given.</summary>
    public List<DigestRecord> Images { get; }

    /// <summary>Starts a registry in <paramref name="mode"/> and pushes one image per platform to <paramref name="repository"/>.</summary>
    public static async Task<RegistryWithImages> StartAsync(string repository, IEnumerable<Platform> platforms,
        RegistryMode mode = RegistryMode.Open, bool docker = false, int seed = 1)
    {
        var registry = await RegistryProcess.StartAsync(mode);
        var client = registry.CreateClient();
        try
        {
            return new RegistryWithImages(registry, client, await TestImages.PushPlatformsAsync(client, repository, platforms, docker,
                seed));
        }
        catch
        {
            client.Dispose();
            await registry.DisposeAsync();
            throw;
        }
    }

    /// <summary><c>var (registry, client, sources) = fixture;</c></summary>
    public void Deconstruct(out RegistryProcess registry, out RegistryClient client, out List<DigestRecord> images) =>
        (registry, client, images) = (Registry, Client, Images);

    /// <summary>Disposes the client, then stops the registry.</summary>
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Registry.DisposeAsync();
    }
}
