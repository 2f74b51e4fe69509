using MultiArch.Oci;

namespace MultiArch.Docker;

/// <summary>How an engine runs a platform's binaries.</summary>
public enum PlatformSupportKind
{
    /// <summary>The engine's CPU runs them itself (amd64 on amd64, and arm/v7 on arm64 CPUs with AArch32).</summary>
    Native,

    /// <summary>They run, handed to QEMU by binfmt_misc.</summary>
    Emulated,

    /// <summary>They do not run: <see cref="PlatformSupport.Summary"/> says why and what fixes it.</summary>
    Problem,
}

/// <summary>The outcome of running the exit(0) probe (<see cref="PlatformProbe"/>) for a platform in the engine.</summary>
/// <param name="Ran">True when the container exited 0.</param>
/// <param name="Failure">Why it did not, e.g. <c>exec format error</c>; null when it ran.</param>
public sealed record ProbeOutcome(bool Ran, string? Failure)
{
    /// <summary>The probe ran.</summary>
    public static ProbeOutcome Success { get; } = new(true, null);

    /// <summary>The probe did not run, for this reason.</summary>
    public static ProbeOutcome Failed(string reason) => new(false, reason);
}

/// <summary>
/// Whether an engine can build a platform, decided from what it does rather than from the architecture's name: the
/// engine ran (or did not run) a tiny static executable of that platform, and binfmt_misc says whether QEMU was there
/// to take it. This is what makes linux/arm/v7 native on GitHub's ubuntu-24.04-arm (Neoverse N2 runs AArch32 at EL0)
/// while an arm64 host without AArch32 (Graviton4, Neoverse V2) is told to register qemu-arm. Evidence that armv7 runs
/// natively there: https://github.com/DrTimothyAldenDavis/SuiteSparse/pull/932; that not every arm64 CPU can (EL0
/// AArch32 is optional): https://github.com/pypa/cibuildwheel/pull/2135. BuildKit itself decides which platforms it can
/// run the same way, by executing tiny exit binaries: https://github.com/moby/buildkit/tree/master/util/archutil.
/// </summary>
/// <param name="Platform">The platform asked about.</param>
/// <param name="Kind">Native, emulated or a problem.</param>
/// <param name="Summary">One line: how it runs, or what is missing and the command that fixes it.</param>
/// <param name="NeedsQemu">True for a problem that registering QEMU for the platform fixes.</param>
public sealed record PlatformSupport(Platform Platform, PlatformSupportKind Kind, string Summary, bool NeedsQemu = false)
{
    /// <summary>The problem line, or null when the platform runs.</summary>
    public string? Problem => Kind == PlatformSupportKind.Problem ? Summary : null;

    /// <summary>
    /// The decision table. A platform of another OS is never probed (a Linux engine cannot run Windows images, and
    /// no emulator changes that); otherwise the probe decides whether it runs, and binfmt_misc whether QEMU ran it.
    /// binfmt_misc handlers are tried before the kernel's own ELF loader, so an enabled entry that matched means emulation.
    /// </summary>
    /// <param name="platform">The platform to build.</param>
    /// <param name="engine">The engine's native platform (from its info).</param>
    /// <param name="binfmt">The state of the platform's QEMU entry.</param>
    /// <param name="probe">The probe's outcome; null when it was not run (another OS).</param>
    /// <param name="binfmtDirectory">Where binfmt_misc is, for the messages.</param>
    public static PlatformSupport Decide(Platform platform, Platform engine, BinfmtState binfmt, ProbeOutcome? probe,
        string binfmtDirectory = QemuEmulation.DefaultBinfmtDirectory)
    {
        var cannot = $"Cannot build {platform} on this {engine} engine";
        if (platform.Os != engine.Os)
            return new(platform, PlatformSupportKind.Problem,
                $"{cannot}: it runs {engine.Os} containers and cannot build {platform.Os} images, with or without QEMU; " +
                $"remove {platform} from --platform, or build it on a {platform.Os} engine.");
        if (probe is null) throw new ArgumentNullException(nameof(probe), $"{platform} on a {engine} engine must be probed.");

        var qemu = QemuEmulation.QemuArchitecture(platform);
        var entry = Path.Combine(binfmtDirectory, "qemu-" + qemu);
        if (probe.Ran)
            return binfmt == BinfmtState.Enabled
                ? new(platform, PlatformSupportKind.Emulated, $"{platform} runs under QEMU ({entry})")
                : new(platform, PlatformSupportKind.Native, $"{platform} runs natively on this {engine} engine");

        var fix = $"run `docker run --privileged --rm tonistiigi/binfmt --install {platform.Architecture}` or " +
            $"`update-binfmts --enable qemu-{qemu}`";
        var notNative = $"it does not run {platform} natively ({probe.Failure}{NoAArch32(platform, engine)})";
        return binfmt switch
        {
            BinfmtState.NotMounted => new(platform, PlatformSupportKind.Problem,
                $"{cannot}: {notNative} and binfmt_misc is not mounted at {binfmtDirectory}; " +
                $"run `mount -t binfmt_misc binfmt_misc {binfmtDirectory}`, then {fix}.", true),
            BinfmtState.Missing => new(platform, PlatformSupportKind.Problem,
                $"{cannot}: {notNative} and QEMU emulation is not registered ({entry} is missing); {fix}.", true),
            BinfmtState.Disabled => new(platform, PlatformSupportKind.Problem,
                $"{cannot}: {notNative} and QEMU emulation is registered but disabled ({entry}); " +
                $"run `update-binfmts --enable qemu-{qemu}`.", true),
            _ => new(platform, PlatformSupportKind.Problem,
                $"{cannot}: QEMU emulation is registered ({entry}) but a {platform} container did not run ({probe.Failure}); " +
                "re-register it with the F flag: " +
                "`apt-get install --reinstall qemu-user-static` or " +
                $"`docker run --privileged --rm tonistiigi/binfmt --install {platform.Architecture}`."),
        };
    }

    // The one case where the name misleads most: 32-bit Arm on an arm64 CPU that dropped AArch32.
    static string NoAArch32(Platform platform, Platform engine) =>
        platform.Architecture == "arm" && engine.Architecture == "arm64"
            ? "; this arm64 CPU has no AArch32, as on Graviton4 / Neoverse V2" : "";
}
