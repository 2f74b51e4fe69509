using MultiArch.Oci;

namespace MultiArch.Docker;

/// <summary>What binfmt_misc says about a platform's QEMU emulator.</summary>
public enum BinfmtState
{
    /// <summary>binfmt_misc is not mounted, so no emulator can be registered.</summary>
    NotMounted,

    /// <summary>No <c>qemu-&lt;arch&gt;</c> entry.</summary>
    Missing,

    /// <summary>The entry exists but is disabled.</summary>
    Disabled,

    /// <summary>The entry exists and is enabled: the kernel hands this architecture's binaries to QEMU.</summary>
    Enabled,
}

/// <summary>
/// The kernel's QEMU registrations, read from binfmt_misc (<c>/proc/sys/fs/binfmt_misc/qemu-&lt;arch&gt;</c>). Whether
/// a platform needs them is not decided here from its name but by running it on the engine: see <see cref="PlatformSupport"/>.
/// </summary>
public sealed class QemuEmulation
{
    /// <summary>Where the kernel exposes binfmt_misc.</summary>
    public const string DefaultBinfmtDirectory = "/proc/sys/fs/binfmt_misc";

    /// <summary>Reads registrations from this directory (a different one in tests).</summary>
    public QemuEmulation(string binfmtDirectory = DefaultBinfmtDirectory) => BinfmtDirectory = binfmtDirectory;

    /// <summary>The binfmt_misc directory read.</summary>
    public string BinfmtDirectory { get; }

    /// <summary>QEMU's name for a Go architecture, e.g. arm64 -> aarch64.</summary>
    public static string QemuArchitecture(Platform platform) => platform.Architecture switch
    {
        "arm64" => "aarch64",
        "amd64" => "x86_64",
        "386" => "i386",
        "mips64le" => "mips64el",
        "loong64" => "loongarch64",
        var same => same, // arm, ppc64le, s390x, riscv64 share the name
    };

    /// <summary>The binfmt_misc entry for <paramref name="platform"/>'s emulator, e.g. <c>/proc/sys/fs/binfmt_misc/qemu-arm</c>.</summary>
    public string EntryPath(Platform platform) => Path.Combine(BinfmtDirectory, "qemu-" + QemuArchitecture(platform));

    /// <summary>Whether <paramref name="platform"/>'s emulator is registered and enabled.</summary>
    public BinfmtState StateOf(Platform platform)
    {
        if (!File.Exists(Path.Combine(BinfmtDirectory, "status"))) return BinfmtState.NotMounted;
        var entry = EntryPath(platform);
        if (!File.Exists(entry)) return BinfmtState.Missing;
        return File.ReadLines(entry).FirstOrDefault()?.Trim() == "enabled" ? BinfmtState.Enabled : BinfmtState.Disabled;
    }
}
