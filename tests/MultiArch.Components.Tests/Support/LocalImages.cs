using MultiArch.Docker;

namespace MultiArch.Components.Tests;

/// <summary>The local engine's images, as tests see them: pulled by digest for a run, and untagged afterwards.</summary>
public static class LocalImages
{
    /// <summary>
    /// Pulls exactly one platform of <paramref name="reference"/>, then runs it. The pull comes first because
    /// dockerd 20.10 without the containerd store keeps one child per name, and a run alone may reuse another platform's.
    /// </summary>
    public static async Task<string> PullAndRunAsync(string reference, Oci.Platform platform)
    {
        var cli = await DockerCli.LocateAsync();
        await cli.ExecuteAsync($"docker pull {reference}", ["pull", "--platform", platform.ToString(), reference], null);
        return await cli.RunAsync(reference, platform, []);
    }

    /// <summary>Untags every local image whose name starts with <paramref name="prefix"/> (e.g. <c>127.0.0.1:PORT/</c>).</summary>
    public static async Task RemoveAsync(string prefix)
    {
        if (Testing.ServiceRequirement.Missing(Testing.Service.Docker) is not null) return;
        var cli = await DockerCli.LocateAsync();
        var listing = await cli.ExecuteAsync(
            "docker images", ["images", "--digests", "--format", "{{.Repository}} {{.Tag}} {{.Digest}}"], null);
        var references = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Where(parts => parts.Length == 3 && parts[0].StartsWith(prefix, StringComparison.Ordinal))
            .SelectMany(parts => new[]
            {
                parts[1] != "<none>" ? $"{parts[0]}:{parts[1]}" : null,
                parts[2] != "<none>" ? $"{parts[0]}@{parts[2]}" : null,
            })
            .OfType<string>()
            .Distinct().ToList();
        if (references.Count == 0) return;
        try { await cli.ExecuteAsync("docker rmi", ["rmi", .. references], null); }
        catch (DockerCommandException) { /* docker rmi goes on past a name already gone, then exits non-zero */ }
    }
}
