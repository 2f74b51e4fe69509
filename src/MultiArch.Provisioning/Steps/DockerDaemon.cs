using MultiArch.Docker;

namespace MultiArch.Provisioning;

/// <summary>
/// The Docker engine answers. When it does not, and it is this machine's default socket, it is started: through
/// systemd when systemd runs, else as a detached <c>dockerd --bridge=none --iptables=false</c> (the form that works
/// inside containers and CI sandboxes, where no bridge can be made; builds then use the host network). Debian's
/// docker.io is installed first when there is no dockerd at all.
/// </summary>
/// <param name="endpoint">The engine the build uses (<see cref="DockerEndpoint.Resolve()"/>); null is the default socket.</param>
public sealed class DockerDaemon(DockerEndpoint? endpoint = null) : ProvisioningStep
{
    /// <summary>Where the daemon started here logs.</summary>
    public const string LogFile = "/var/log/multiarch-dockerd.log";

    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <inheritdoc/>
    public override string Name => "dockerd";

    DockerEndpoint Endpoint => endpoint ?? DockerEndpoint.Default;

    /// <inheritdoc/>
    public override async Task<StepCheck> CheckAsync(ProvisioningContext context, CancellationToken cancellationToken)
    {
        var status = await new DockerEngineProbe(Endpoint).ProbeAsync(cancellationToken);
        if (status.Problem is null) return StepCheck.Ok($"running (dockerd {status.ServerVersion} at {Endpoint.Host})");
        // An engine named by DOCKER_HOST or a context is not this build's to start: the probe's own line says what to do.
        if (!Endpoint.IsDefaultSocket) throw new ProvisioningException(status.Problem);
        var socket = Endpoint.Host["unix://".Length..];
        var noSocket = !File.Exists(socket) ? ": no socket there" : "";
        return StepCheck.Lacks($"the Docker engine (nothing answers at {Endpoint.Host}{noSocket})");
    }

    /// <inheritdoc/>
    public override async Task<string> ProvideAsync(ProvisioningContext context, StepCheck missing, CancellationToken cancellationToken)
    {
        var installed = "";
        if (!File.Exists("/usr/bin/dockerd") && !HostCommand.OnPath("dockerd"))
        {
            await context.Apt.InstallAsync(["docker.io"], cancellationToken);
            installed = "installed docker.io, ";
        }
        string how;
        if (Directory.Exists("/run/systemd/system"))
        {
            await HostCommand.RunAsync("systemctl", ["start", "docker"], cancellationToken: cancellationToken);
            how = "started with systemctl start docker";
        }
        else
        {
            // setsid: the daemon outlives this build and its terminal; its output goes to a file so no pipe holds us.
            await HostCommand.RunAsync("/bin/sh",
                ["-c", "setsid dockerd --bridge=none --iptables=false </dev/null >>\"$0\" 2>&1 &", LogFile],
                context.WithoutSecrets, cancellationToken: cancellationToken);
            how = $"started dockerd --bridge=none --iptables=false (log {LogFile})";
        }
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!(await CheckAsync(context, cancellationToken)).Satisfied)
        {
            if (DateTime.UtcNow > deadline)
                throw new ProvisioningException($"dockerd did not answer within {StartTimeout.TotalSeconds:0} s; " +
                    $"see {LogFile} or `journalctl -u docker`.");
            await Task.Delay(500, cancellationToken);
        }
        return installed + how;
    }
}
