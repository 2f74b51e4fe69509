using Xunit;
using System.Net.Sockets;

namespace MultiArch.Testing;

/// <summary>
/// The one rule for tests that need a real service: when it is missing, the test is skipped locally but
/// FAILS when the environment variable <c>CI</c> is <c>true</c>, so CI can never go green by skipping.
/// </summary>
public static class ServiceRequirement
{
    /// <summary>True when running under CI (<c>CI=true</c>).</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Skips (locally) or fails (in CI) the calling test unless every listed service is available.</summary>
    /// <exception cref="InvalidOperationException">In CI, a service is missing.</exception>
    public static void Require(Service services)
    {
        var missing = Enum.GetValues<Service>().Where(s => services.HasFlag(s) && Missing(s) is not null)
            .Select(s => Missing(s)!).ToList();
        if (missing.Count == 0) return;
        var message = "Missing: " + string.Join("; ", missing);
        if (IsCi) throw new InvalidOperationException(message + " (CI=true, so this is a failure, not a skip).");
        Skip.If(true, message);
    }

    /// <summary>Why a service is unavailable, or null when it is available.</summary>
    public static string? Missing(Service service) => service switch
    {
        Service.Registry => File.Exists(RegistryProcess.Binary) ? null : $"{RegistryProcess.Binary} (sudo ./build.sh LocalServices)",
        Service.Skopeo => OnPath("skopeo") ? null : "skopeo (sudo ./build.sh TestServices)",
        Service.Htpasswd => OnPath("htpasswd") ? null : "htpasswd (sudo ./build.sh TestServices)",
        Service.Node => OnPath("node") ? null : "node (sudo ./build.sh TestServices)",
        Service.Docker => DockerAnswers() ? null : "a running Docker daemon (sudo ./build.sh LocalServices)",
        Service.Qemu => File.Exists("/proc/sys/fs/binfmt_misc/qemu-aarch64")
            && File.ReadAllText("/proc/sys/fs/binfmt_misc/qemu-aarch64").StartsWith("enabled")
            ? null : "qemu-aarch64 registered in binfmt_misc (sudo ./build.sh LocalServices)",
        Service.RootOnDebian => IsRootOnDebian() ? null : "root on Debian or Ubuntu (these tests install packages as provisioning does)",
        Service.WorkflowParser => WorkflowParserFolder() is { } folder
            && Directory.Exists(Path.Combine(folder, "node_modules", "@actions", "workflow-parser"))
            ? null : "@actions/workflow-parser in .ci/workflow-parser/node_modules (./build.sh TestServices)",
        _ => null,
    };

    /// <summary>The repository's <c>.ci/workflow-parser</c> folder, found upwards from the test binaries; null when absent.</summary>
    public static string? WorkflowParserFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, ".ci", "workflow-parser", "validate.mjs")))
                return Path.Combine(dir.FullName, ".ci", "workflow-parser");
        return null;
    }

    private static bool IsRootOnDebian() =>
        OperatingSystem.IsLinux() && Environment.UserName == "root" && File.Exists("/etc/os-release")
        && File.ReadLines("/etc/os-release").Any(l => l is "ID=debian" or "ID=ubuntu"
            || (l.StartsWith("ID_LIKE=") && (l.Contains("debian") || l.Contains("ubuntu"))));

    private static bool OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, name)));

    // A _ping over the socket says the daemon is up, not just that the socket file exists.
    private static bool DockerAnswers()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        var socket = host is { Length: > 0 } && host.StartsWith("unix://") ? host["unix://".Length..] : "/var/run/docker.sock";
        if (host is { Length: > 0 } && !host.StartsWith("unix://")) return true; // TCP daemons are checked by the test itself
        return DockerAnswersAt(socket);
    }

    /// <summary>True when a Docker engine answers <c>_ping</c> on this unix socket (not just that the file exists).</summary>
    public static bool DockerAnswersAt(string socket)
    {
        if (!File.Exists(socket)) return false;
        try
        {
            using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            client.Connect(new UnixDomainSocketEndPoint(socket));
            client.Send("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"u8);
            var buffer = new byte[64];
            client.ReceiveTimeout = 3000;
            var read = client.Receive(buffer);
            return System.Text.Encoding.ASCII.GetString(buffer, 0, read).Contains(" 200 ");
        }
        catch (SocketException) { return false; }
    }
}
