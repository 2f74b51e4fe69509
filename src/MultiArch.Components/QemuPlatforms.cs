using MultiArch.Workflows;

namespace MultiArch.Components;

/// <summary>Which QEMU emulators a leg needs, named as <c>docker/setup-qemu-action</c>'s <c>platforms</c> input takes them
/// (action.yml v4.2.0: "Platforms to install (e.g. arm64,riscv64,arm)").</summary>
public static class QemuPlatforms
{
    /// <summary>The emulator for a platform: <c>linux/arm/v7</c> gives <c>arm</c>, <c>linux/riscv64</c> gives <c>riscv64</c>.</summary>
    public static string Of(string platform)
    {
        var parts = platform.Split('/');
        return parts.Length > 1 ? parts[1].ToLowerInvariant() : platform.ToLowerInvariant();
    }

    /// <summary>
    /// A 32-bit arm leg on a runner not marked emulated (the arm64 runner): native when the CPU runs AArch32 at EL0, as
    /// the hosted Neoverse N2 runners do, but not on cores without it (Graviton4/Neoverse V2). Only the runner can tell.
    /// </summary>
    public static bool MayRunNatively(Runner runner, string platform) => !runner.Emulated
        && platform.StartsWith("linux/arm/", StringComparison.OrdinalIgnoreCase);
}
