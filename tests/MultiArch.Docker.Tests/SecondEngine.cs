using System.Diagnostics;
using MultiArch.Testing;

namespace MultiArch.Docker.Tests;

/// <summary>
/// A second dockerd on its own socket, data root and exec root (so its own managed containerd), as
/// docker/setup-docker-action starts one beside a runner's stock engine. Stopped, and its folders removed, on dispose.
/// </summary>
public sealed class SecondEngine : IAsyncDisposable
{
    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    readonly Process _process;

    SecondEngine(string root, Process process) => (Root, _process) = (root, process);

    /// <summary>Everything of this engine lives under here (short: unix socket paths are limited to 108 bytes).</summary>
    public string Root { get; }

    /// <summary>Its socket as a DOCKER_HOST value.</summary>
    public string Host => "unix://" + Path.Combine(Root, "docker.sock");

    /// <summary>Its data root, which its info reports as DockerRootDir.</summary>
    public string DataRoot => Path.Combine(Root, "data");

    /// <summary>Starts the engine and waits until it answers.</summary>
    public static async Task<SecondEngine> StartAsync()
    {
        var root = Path.Combine("/tmp", "ma2-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        var config = Path.Combine(root, "daemon.json");
        await File.WriteAllTextAsync(config, "{}"); // not /etc/docker/daemon.json: nothing of the main engine's settings
        var start = new ProcessStartInfo("dockerd")
        {
            ArgumentList =
            {
                "--host", "unix://" + Path.Combine(root, "docker.sock"), "--data-root", Path.Combine(root, "data"),
                "--exec-root", Path.Combine(root, "exec"), "--pidfile", Path.Combine(root, "docker.pid"),
                "--config-file", config, "--bridge=none", "--iptables=false",
            },
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        var log = Path.Combine(root, "dockerd.log");
        var writer = TextWriter.Synchronized(new StreamWriter(log) { AutoFlush = true });
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) writer.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) writer.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var engine = new SecondEngine(root, process);
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!ServiceRequirement.DockerAnswersAt(Path.Combine(root, "docker.sock")))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await engine.DisposeAsync();
                throw new InvalidOperationException($"The second dockerd did not answer within {StartTimeout.TotalSeconds:0} s " +
                    $"(exit: {(process.HasExited ? process.ExitCode : "still running")}).");
            }
            await Task.Delay(250);
        }
        return engine;
    }

    /// <summary>Stops the engine (SIGTERM, as systemd would) and removes its folders.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Process.Start("kill", ["-TERM", _process.Id.ToString()])!.WaitForExit();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try { await _process.WaitForExitAsync(wait.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        _process.Dispose();
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { /* a mount the daemon left behind; /tmp is cleaned at boot */ }
        catch (UnauthorizedAccessException) { }
    }
}
