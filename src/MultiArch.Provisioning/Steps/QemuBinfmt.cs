using MultiArch.Docker;
using MultiArch.Oci;

namespace MultiArch.Provisioning;

/// <summary>
/// QEMU is registered with binfmt_misc, with the F (fix-binary) flag, for every platform the engine cannot run
/// natively, so RUN steps of a foreign image work. Which platforms those are is asked of the engine (it runs a tiny
/// executable of each, see <see cref="PlatformSupport"/>), not read from the architecture's name: linux/arm/v7 needs
/// nothing on an arm64 CPU with AArch32, and qemu-arm on one without. Debian's qemu-user-static registers its
/// emulators through binfmt-support.
/// </summary>
/// <param name="platforms">The platforms the run builds.</param>
/// <param name="endpoint">The engine the run builds on (the DockerDaemon step before this one makes sure it answers).</param>
/// <param name="emulation">Where binfmt_misc is; null is the kernel's.</param>
public sealed class QemuBinfmt(IReadOnlyList<Platform> platforms, DockerEndpoint endpoint,
    QemuEmulation? emulation = null) : ProvisioningStep
{
    readonly QemuEmulation _emulation = emulation ?? new QemuEmulation();
    IReadOnlyList<Platform> _foreign = [];

    /// <inheritdoc/>
    public override string Name => "binfmt";

    /// <summary>The platforms the last check found the engine does not run natively.</summary>
    public IReadOnlyList<Platform> Foreign => _foreign;

    /// <summary>The native platform of this machine's kernel.</summary>
    public static Platform HostPlatform => Platform.Create("linux", System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        _ => "amd64",
    });

    /// <inheritdoc/>
    public override async Task<StepCheck> CheckAsync(ProvisioningContext context, CancellationToken cancellationToken)
    {
        // A new probe each check: after ProvideAsync registers an emulator the engine is asked again.
        var probe = new DockerEngineProbe(endpoint, _emulation);
        DockerEngineStatus status;
        try { status = await probe.EnsureReadyAsync([], cancellationToken); }
        catch (DockerEngineUnavailableException e) { throw new ProvisioningException(e.Message); }
        var support = await Task.WhenAll(platforms.Distinct().Select(platform => probe.SupportAsync(status, platform, cancellationToken)));
        // What QEMU cannot fix (a windows platform on a linux engine) is the user's to change, not this step's.
        if (support.FirstOrDefault(s => s.Problem is not null && !s.NeedsQemu) is { } unfixable)
            throw new ProvisioningException(unfixable.Summary);
        _foreign = support.Where(s => s.Kind != PlatformSupportKind.Native).Select(s => s.Platform).ToList();
        if (_foreign.Count == 0) return StepCheck.Ok($"not needed (every platform runs natively on {status.NativePlatform})");
        var lacking = support.Where(s => s.NeedsQemu || (s.Kind == PlatformSupportKind.Emulated && !HasFixBinaryFlag(s.Platform)))
            .Select(s => s.Platform).ToList();
        return lacking.Count == 0
            ? StepCheck.Ok($"{string.Join(" and ", Emulators(_foreign))} enabled")
            : StepCheck.Lacks($"QEMU for {string.Join(", ", lacking)} ({string.Join(", ", Emulators(lacking))} in " +
                $"{_emulation.BinfmtDirectory})");
    }

    /// <inheritdoc/>
    public override async Task<string> ProvideAsync(ProvisioningContext context, StepCheck missing, CancellationToken cancellationToken)
    {
        var installed = "";
        if (!HostCommand.OnPath("update-binfmts")
            || !Foreign.All(p => File.Exists($"/usr/bin/qemu-{QemuEmulation.QemuArchitecture(p)}-static")))
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
            var registration = await File.ReadAllLinesAsync(Path.Combine(directory, emulator), cancellationToken);
            if (!registration.Any(l => l.StartsWith("flags:") && l.Contains('F')))
                throw new ProvisioningException($"{Path.Combine(directory, emulator)} lacks the F (fix-binary) flag; " +
                    "reinstall qemu-user-static (apt-get install --reinstall qemu-user-static).");
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
