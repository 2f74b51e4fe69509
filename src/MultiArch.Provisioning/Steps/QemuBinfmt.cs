using MultiArch.Docker;
using MultiArch.Oci;

namespace MultiArch.Provisioning;

/// <summary>
/// QEMU is registered with binfmt_misc, with the F (fix-binary) flag, for every platform that does not run natively,
/// so RUN steps of a foreign image work. Debian's qemu-user-static registers its emulators through binfmt-support.
/// </summary>
public sealed class QemuBinfmt(IReadOnlyList<Platform> platforms, Platform native, QemuEmulation? emulation = null) : ProvisioningStep
{
    readonly QemuEmulation _emulation = emulation ?? new QemuEmulation();

    /// <inheritdoc/>
    public override string Name => "binfmt";

    /// <inheritdoc/>
    /// <summary>The platforms that need emulation on this native platform.</summary>
    public IReadOnlyList<Platform> Foreign => platforms.Where(p => !QemuEmulation.RunsNatively(p, native)).Distinct().ToList();

    /// <summary>The native platform of this machine's kernel.</summary>
    public static Platform HostPlatform => Platform.Create("linux", System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        _ => "amd64",
    });

    /// <inheritdoc/>
    public override Task<StepCheck> CheckAsync(ProvisioningContext context, CancellationToken cancellationToken)
    {
        var foreign = Foreign;
        if (foreign.Count == 0) return Task.FromResult(StepCheck.Ok($"not needed (every platform runs natively on {native})"));
        var lacking = foreign.Where(p => _emulation.Problem(p, native) is not null || !HasFixBinaryFlag(p)).ToList();
        return Task.FromResult(lacking.Count == 0
            ? StepCheck.Ok($"{string.Join(" and ", Emulators(foreign))} enabled")
            : StepCheck.Lacks($"QEMU for {string.Join(", ", lacking)} ({string.Join(", ", Emulators(lacking))} in {_emulation.BinfmtDirectory})"));
    }

    /// <inheritdoc/>
    public override async Task<string> ProvideAsync(ProvisioningContext context, StepCheck missing, CancellationToken cancellationToken)
    {
        var installed = "";
        if (!HostCommand.OnPath("update-binfmts") || !Foreign.All(p => File.Exists($"/usr/bin/qemu-{QemuEmulation.QemuArchitecture(p)}-static")))
        {
            await context.Apt.InstallAsync(["qemu-user-static", "binfmt-support"], cancellationToken);
            installed = "installed qemu-user-static and binfmt-support, ";
        }
        var directory = _emulation.BinfmtDirectory;
        if (!File.Exists(Path.Combine(directory, "status")))
            await HostCommand.RunAsync("mount", ["-t", "binfmt_misc", "binfmt_misc", directory], cancellationToken: cancellationToken);
        foreach (var emulator in Emulators(Foreign))
        {
            await HostCommand.RunAsync("update-binfmts", ["--enable", emulator], cancellationToken: cancellationToken);
            // Without F the kernel looks for the interpreter inside each container, where it does not exist.
            if (!File.ReadLines(Path.Combine(directory, emulator)).Any(l => l.StartsWith("flags:") && l.Contains('F')))
                throw new ProvisioningException($"{Path.Combine(directory, emulator)} lacks the F (fix-binary) flag; reinstall qemu-user-static (apt-get install --reinstall qemu-user-static).");
        }
        return $"{installed}enabled {string.Join(" and ", Emulators(Foreign))}";
    }

    static IEnumerable<string> Emulators(IEnumerable<Platform> platforms) =>
        platforms.Select(p => "qemu-" + QemuEmulation.QemuArchitecture(p)).Distinct();

    bool HasFixBinaryFlag(Platform platform)
    {
        var entry = Path.Combine(_emulation.BinfmtDirectory, "qemu-" + QemuEmulation.QemuArchitecture(platform));
        return File.Exists(entry) && File.ReadLines(entry).Any(l => l.StartsWith("flags:") && l.Contains('F'));
    }
}
