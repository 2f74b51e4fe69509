using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MultiArch.Bench.Merge;

/// <summary>Runs `docker manifest create` then `docker manifest push` (the Docker CLI does this itself, without the daemon).</summary>
internal static partial class DockerManifestTool
{
    public const string Binary = "/usr/bin/docker";

    public static string? Missing() => File.Exists(Binary) ? null : $"{Binary} not installed";

    /// <summary>Creates and pushes a manifest list; returns the pushed digest.</summary>
    public static async Task<string> CreateAndPushAsync(string target, IEnumerable<string> sources)
    {
        // A private config dir: the CLI keeps local manifest lists there, and must not see the user's credentials.
        var config = Directory.CreateTempSubdirectory("multiarch-bench-docker-").FullName;
        try
        {
            await RunAsync(config, ["manifest", "create", "--insecure", target, .. sources]);
            var output = await RunAsync(config, ["manifest", "push", "--insecure", "--purge", target]);
            return DigestPattern().Match(output) is { Success: true } m ? m.Value
                : throw new InvalidOperationException($"docker manifest push printed no digest: {output}");
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    private static async Task<string> RunAsync(string config, string[] arguments)
    {
        var start = new ProcessStartInfo(Binary, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DOCKER_CONFIG"] = config;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"docker {string.Join(' ', arguments.Take(2))} exited with {process.ExitCode}: {await error}");
        return await output;
    }

    [GeneratedRegex("sha256:[a-f0-9]{64}")]
    private static partial Regex DigestPattern();
}
