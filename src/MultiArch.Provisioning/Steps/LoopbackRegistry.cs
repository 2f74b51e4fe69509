using MultiArch.Docker;

namespace MultiArch.Provisioning;

/// <summary>
/// An open registry with delete enabled answers on a loopback address (the default publish target, and what
/// untagged cleanup tests need). It is started with <see cref="LocalRegistry"/>, which needs no root.
/// </summary>
public sealed class LoopbackRegistry(string host = LocalRegistry.DefaultHost) : ProvisioningStep
{
    /// <inheritdoc/>
    public override string Name => "registry";

    /// <inheritdoc/>
    public override bool NeedsRoot => !File.Exists(LocalRegistry.RegistryBinary); // starting it needs no root; installing it does

    /// <inheritdoc/>
    public override async Task<StepCheck> CheckAsync(ProvisioningContext context, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        int status;
        try { status = (int)(await http.GetAsync($"http://{host}/v2/", cancellationToken)).StatusCode; }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return StepCheck.Lacks($"a registry on {host}");
        }
        if (status == 401)
            throw new ProvisioningException($"The registry on {host} requires authentication (Debian's docker-registry service " +
                "does): stop it (`systemctl disable --now docker-registry`) so an open loopback one can start.");
        if (status != 200)
            throw new ProvisioningException($"What answers on {host} is not a Docker registry (GET /v2/ gave HTTP {status}); stop it.");
        // With delete disabled a manifest DELETE answers 405; with it enabled an unknown digest is 404.
        using var delete = await http.SendAsync(new HttpRequestMessage(HttpMethod.Delete,
            $"http://{host}/v2/multiarch/delete-probe/manifests/sha256:{new string('0', 64)}"), cancellationToken);
        if ((int)delete.StatusCode == 405)
            throw new ProvisioningException($"The registry on {host} has delete disabled (untagged cleanup needs it): " +
                "stop it and run again; the one this build starts enables it.");
        return StepCheck.Ok($"running on {host}, delete enabled");
    }

    /// <inheritdoc/>
    public override async Task<string> ProvideAsync(ProvisioningContext context, StepCheck missing, CancellationToken cancellationToken)
    {
        var installed = "";
        if (!File.Exists(LocalRegistry.RegistryBinary))
        {
            await context.Apt.InstallAsync(["docker-registry"], cancellationToken);
            installed = "installed docker-registry; ";
            // On a systemd machine the package starts its own service on :5000 (all interfaces, htpasswd auth).
            if (Directory.Exists("/run/systemd/system"))
                await HostCommand.RunAsync("systemctl", ["disable", "--now", "docker-registry"], cancellationToken: cancellationToken);
        }
        try
        {
            return installed
                + (await LocalRegistry.EnsureRunningAsync(host, withheld: context.Withheld, cancellationToken: cancellationToken)
                    ?? $"running on {host}");
        }
        catch (Exception e) when (e is DockerCommandException or DockerEngineUnavailableException)
        {
            throw new ProvisioningException($"could not start a registry on {host}: {e.Message}");
        }
    }
}
