using System.Diagnostics;
using System.Text;
using MultiArch.Oci;

namespace MultiArch.Testing;

/// <summary>
/// A real distribution registry (<c>/usr/bin/docker-registry</c>) on 127.0.0.1 with a random free port and temp
/// storage, deletes enabled. Open, htpasswd (Basic) or token auth. Dispose to stop it and remove its files.
/// </summary>
public sealed class RegistryProcess : IAsyncDisposable
{
    /// <summary>Where Debian installs the registry.</summary>
    public const string Binary = "/usr/bin/docker-registry";

    private readonly Process _process;
    private readonly string _directory;
    private readonly TokenIssuer? _ownedIssuer;
    private readonly StringBuilder _log;

    private RegistryProcess(Process process, string directory, string host, RegistryMode mode,
        RegistryCredentials? credentials, TokenIssuer? issuer, TokenIssuer? ownedIssuer, StringBuilder log)
    {
        (_process, _directory, Host, Mode, Credentials, Issuer, _ownedIssuer, _log) =
            (process, directory, host, mode, credentials, issuer, ownedIssuer, log);
    }

    /// <summary><c>127.0.0.1:PORT</c>.</summary>
    public string Host { get; }

    /// <summary>The auth mode.</summary>
    public RegistryMode Mode { get; }

    /// <summary>Credentials that work against this registry, or null for an open one.</summary>
    public RegistryCredentials? Credentials { get; }

    /// <summary>The token issuer in <see cref="RegistryMode.Token"/> mode.</summary>
    public TokenIssuer? Issuer { get; }

    /// <summary>Storage root on disk (for tests that check what was stored).</summary>
    public string StorageDirectory => Path.Combine(_directory, "storage");

    /// <summary>What the registry printed (for diagnosing a failing test).</summary>
    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>A client for this registry with its credentials; pass options to add a counting handler or retries.</summary>
    public RegistryClient CreateClient(RegistryClientOptions? options = null) =>
        new(Host, (options ?? new RegistryClientOptions()) with { Credentials = options?.Credentials ?? Credentials });

    /// <summary>Starts a registry and waits until <c>/v2/</c> answers.</summary>
    /// <param name="mode">Auth mode.</param>
    /// <param name="issuer">For token mode: the issuer to trust (not disposed here). Null: one is created and owned.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<RegistryProcess> StartAsync(RegistryMode mode = RegistryMode.Open, TokenIssuer? issuer = null,
        CancellationToken cancellationToken = default)
    {
        ServiceRequirement.Require(Service.Registry | (mode == RegistryMode.Htpasswd ? Service.Htpasswd : 0));
        TokenIssuer? owned = null;
        if (mode == RegistryMode.Token && issuer is null) issuer = owned = await TokenIssuer.StartAsync();
        // A port taken between probing and binding makes the registry exit: try a few ports.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(mode, issuer, owned, cancellationToken);
            }
            catch (InvalidOperationException) when (attempt < 3) { }
        }
    }

    private static async Task<RegistryProcess> StartOnceAsync(RegistryMode mode, TokenIssuer? issuer, TokenIssuer? owned,
        CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("multiarch-registry-").FullName;
        var host = $"127.0.0.1:{FreePort.Next()}";
        RegistryCredentials? credentials = null;
        var auth = "";
        if (mode == RegistryMode.Htpasswd)
        {
            credentials = new RegistryCredentials("tester", "pw-" + Guid.NewGuid().ToString("N"));
            var htpasswd = Path.Combine(directory, "htpasswd");
            await File.WriteAllTextAsync(htpasswd, await RunAsync("htpasswd", ["-Bbn", credentials.Username, credentials.Password]),
                cancellationToken);
            auth = $"auth:\n  htpasswd:\n    realm: multiarch-test\n    path: {htpasswd}\n";
        }
        else if (mode == RegistryMode.Token)
        {
            credentials = issuer!.Credentials;
            auth = $"auth:\n  token:\n    realm: {issuer.Realm}\n    service: {issuer.Service}\n    issuer: {issuer.Issuer}\n" +
                   $"    rootcertbundle: {issuer.CertificatePath}\n";
        }
        var config = Path.Combine(directory, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: warn
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {Path.Combine(directory, "storage")}
              delete:
                enabled: true
              maintenance:
                uploadpurging:
                  enabled: false
            http:
              addr: {host}
              secret: {Guid.NewGuid():N}
            {auth}
            """, cancellationToken);

        var log = new StringBuilder();
        var process = new Process
        {
            StartInfo = new ProcessStartInfo(Binary, ["serve", config])
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            },
        };
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var registry = new RegistryProcess(process, directory, host, mode, credentials, issuer, owned, log);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                var output = registry.Log;
                await registry.DisposeStorageAsync();
                throw new InvalidOperationException($"docker-registry exited with {process.ExitCode}: {output}");
            }
            try
            {
                using var response = await http.GetAsync($"http://{host}/v2/", cancellationToken);
                return registry; // 200 when open, 401 with a challenge when auth is on: both mean it is serving
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested) { }
            await Task.Delay(50, cancellationToken);
        }
        await registry.DisposeAsync();
        throw new TimeoutException($"docker-registry on {host} did not answer within 20 s: {registry.Log}");
    }

    private static async Task<string> RunAsync(string file, string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} exited with {process.ExitCode}.");
        return output;
    }

    private async Task DisposeStorageAsync()
    {
        // A just-killed registry may still have files open for a moment: try a few times.
        for (var attempt = 0; attempt < 5 && Directory.Exists(_directory); attempt++)
        {
            try { Directory.Delete(_directory, recursive: true); }
            catch (IOException) { await Task.Delay(100); }
        }
    }

    /// <summary>Stops the registry (and an owned token issuer) and deletes its storage.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        if (_ownedIssuer is not null) await _ownedIssuer.DisposeAsync();
        await DisposeStorageAsync();
    }
}
