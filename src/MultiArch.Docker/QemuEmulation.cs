using MultiArch.Oci;

namespace MultiArch.Docker;

/// <summary>
/// Whether the kernel can run a foreign platform's binaries through QEMU, read from binfmt_misc
/// (<c>/proc/sys/fs/binfmt_misc/qemu-&lt;arch&gt;</c>), which is what RUN steps and <c>docker run</c> rely on.
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

    /// <summary>True when <paramref name="platform"/> runs without emulation on an engine whose native platform is <paramref name="native"/>.</summary>
    public static bool RunsNatively(Platform platform, Platform native) =>
        platform.Os == native.Os && (platform.Architecture == native.Architecture
            || (platform.Architecture == "386" && native.Architecture == "amd64"));

    /// <summary>
    /// Null when <paramref name="platform"/> can run on an engine whose native platform is <paramref name="native"/>;
    /// else one line saying what is missing and the command that fixes it.
    /// </summary>
    public string? Problem(Platform platform, Platform native)
    {
        if (RunsNatively(platform, native)) return null;
        var qemu = QemuArchitecture(platform);
        var fix = $"run `docker run --privileged --rm tonistiigi/binfmt --install {platform.Architecture}` or `update-binfmts --enable qemu-{qemu}`";
        if (!File.Exists(Path.Combine(BinfmtDirectory, "status")))
            return $"Cannot build {platform} on this {native} engine: binfmt_misc is not mounted at {BinfmtDirectory}; run `mount -t binfmt_misc binfmt_misc {BinfmtDirectory}`, then {fix}.";
        var entry = Path.Combine(BinfmtDirectory, "qemu-" + qemu);
        if (!File.Exists(entry))
            return $"Cannot build {platform} on this {native} engine: QEMU emulation is not registered ({entry} is missing); {fix}.";
        var state = File.ReadLines(entry).FirstOrDefault()?.Trim();
        return state == "enabled" ? null
            : $"Cannot build {platform} on this {native} engine: QEMU emulation is registered but {state ?? "empty"} ({entry}); run `update-binfmts --enable qemu-{qemu}`.";
    }
}
