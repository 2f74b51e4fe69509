namespace MultiArch.Provisioning;

/// <summary>
/// Whether this run may install and start things, decided once: provisioning is on unless turned off, and steps
/// that need root (packages, daemons, binfmt) run only as root on Debian or Ubuntu, where apt-get is the installer.
/// </summary>
/// <param name="Enabled">False with <c>--no-provision</c>.</param>
/// <param name="IsRoot">The process runs as root.</param>
/// <param name="OsId">The <c>ID</c> of /etc/os-release (<c>debian</c>, <c>ubuntu</c>...), or null when there is none.</param>
/// <param name="FixCommand">The command that provisions, printed when a step may not, e.g. <c>sudo ./build.sh LocalServices</c>.</param>
public sealed record ProvisioningPolicy(bool Enabled, bool IsRoot, string? OsId, string FixCommand)
{
    /// <summary>The policy of this process: root from the effective uid, the OS from /etc/os-release.</summary>
    public static ProvisioningPolicy ForThisMachine(bool enabled, string fixCommand, string osRelease = "/etc/os-release") =>
        new(enabled, OperatingSystem.IsLinux() && geteuid() == 0, ReadOsId(osRelease), fixCommand);

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = false)]
    static extern uint geteuid();

    /// <summary>True on Debian, Ubuntu and their derivatives (ID or ID_LIKE), where apt-get installs the packages.</summary>
    public bool IsDebianFamily => OsId is { } id && id.Split(' ').Any(part => part is "debian" or "ubuntu");

    /// <summary>Null when a step may act; else why not, in a few words.</summary>
    public string? WhyNot(ProvisioningStep step) =>
        !Enabled ? "provisioning is off (--no-provision)"
        : !step.NeedsRoot ? null
        : !OperatingSystem.IsLinux() ? $"this is {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, not Linux"
        : !IsDebianFamily ? $"this is {OsId ?? "an unknown Linux"}, not Debian or Ubuntu (install the packages yourself)"
        : !IsRoot ? "not running as root"
        : null;

    // ID plus ID_LIKE, so a derivative such as Linux Mint (ID=linuxmint, ID_LIKE="ubuntu debian") counts as Debian-family.
    static string? ReadOsId(string path)
    {
        if (!File.Exists(path)) return null;
        var values = File.ReadLines(path).Select(line => line.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim().Trim('"'));
        var ids = new[] { values.GetValueOrDefault("ID"), values.GetValueOrDefault("ID_LIKE") }.Where(v => !string.IsNullOrEmpty(v));
        var joined = string.Join(' ', ids);
        return joined.Length == 0 ? null : joined;
    }
}
