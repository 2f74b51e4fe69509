using MultiArch.Oci;

namespace MultiArch.Docker;

/// <summary>
/// What a running container says it is: the kernel's machine name (<c>uname -m</c>) and the word size of its own
/// userland. Both are needed for 32-bit Arm: under QEMU <c>uname -m</c> prints <c>armv7l</c>, but natively on an arm64
/// kernel (GitHub's ubuntu-24.04-arm) the same image prints <c>armv8l</c> (linux32 personality) or <c>aarch64</c>,
/// so only "32-bit userland on an Arm machine" identifies linux/arm/* everywhere. Evidence:
/// https://github.com/podman-container-tools/podman/issues/26482 (aarch64 in an arm32 container on an arm64 host),
/// https://github.com/microsoft/azure-pipelines-agent/pull/2658 (armv8l under the linux32 personality, from the
/// kernel's COMPAT_UTS_MACHINE), https://github.com/canonical/lxd/issues/10772 (compat_uts_machine=armv7l makes it armv7l).
/// </summary>
/// <param name="Machine">The output of <c>uname -m</c>, e.g. <c>x86_64</c>, <c>armv8l</c>.</param>
/// <param name="Bits">32 or 64: <c>getconf LONG_BIT</c>, or where there is no getconf (busybox) the ELF class of <c>/bin/sh</c>.</param>
public sealed record ContainerArchitecture(string Machine, int Bits)
{
    /// <summary>
    /// The command that prints both, one per line. The ELF class is byte 4 of <c>/bin/sh</c> (1 = 32-bit, 2 = 64-bit);
    /// busybox has <c>od</c> but no <c>getconf</c>.
    /// </summary>
    public static IReadOnlyList<string> Command { get; } =
        ["sh", "-c", "uname -m; getconf LONG_BIT 2>/dev/null || echo $(( $(od -An -tu1 -j4 -N1 /bin/sh) * 32 ))"];

    /// <summary>
    /// Runs <see cref="Command"/> in <paramref name="image"/> for <paramref name="platform"/> and parses what
    /// it printed.
    /// </summary>
    /// <exception cref="DockerCommandException">The container did not run.</exception>
    /// <exception cref="FormatException">It printed something else than a machine name and a word size.</exception>
    public static async Task<ContainerArchitecture> ReadAsync(DockerCli cli, string image, Platform platform,
        CancellationToken cancellationToken = default) =>
        Parse(await cli.RunAsync(image, platform, Command, cancellationToken: cancellationToken));

    /// <summary>Parses the two lines <see cref="Command"/> prints.</summary>
    /// <exception cref="FormatException">Not a machine name followed by 32 or 64.</exception>
    public static ContainerArchitecture Parse(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length != 2 || !int.TryParse(lines[1], out var bits) || bits is not (32 or 64))
            throw new FormatException($"Expected `uname -m` and a word size (32 or 64), got '{output.Trim().ReplaceLineEndings(" | ")}'.");
        return new ContainerArchitecture(lines[0], bits);
    }

    /// <summary>Null when this is what <paramref name="platform"/> runs as; else what was expected, for one line.</summary>
    public string? Mismatch(Platform platform)
    {
        var (machines, bits, description) = Expected(platform);
        return Bits == bits && machines.Any(m => m.EndsWith('*') ? Machine.StartsWith(m[..^1], StringComparison.Ordinal) : Machine == m)
            ? null : $"expected {description} for {platform}";
    }

    static (string[] Machines, int Bits, string Description) Expected(Platform platform) => platform.Architecture switch
    {
        "amd64" => (["x86_64"], 64, "x86_64, 64-bit"),
        "386" => (["i386", "i486", "i586", "i686", "x86_64"], 32, "a 32-bit userland on an x86 machine (i686 or x86_64)"),
        "arm64" => (["aarch64"], 64, "aarch64, 64-bit"),
        // armv7l under QEMU; armv8l or aarch64 natively on an arm64 kernel.
        "arm" => (["arm*", "aarch64"], 32, "a 32-bit userland on an Arm machine (armv7l, armv8l or aarch64)"),
        "ppc64le" => (["ppc64le"], 64, "ppc64le, 64-bit"),
        "s390x" => (["s390x"], 64, "s390x, 64-bit"),
        "riscv64" => (["riscv64"], 64, "riscv64, 64-bit"),
        "mips64le" => (["mips64"], 64, "mips64, 64-bit"),
        "loong64" => (["loongarch64"], 64, "loongarch64, 64-bit"),
        _ => ([], 0, $"an architecture MultiArch knows (not {platform.Architecture})"),
    };

    /// <summary>For summaries, e.g. <c>armv8l, 32-bit</c>.</summary>
    public override string ToString() => $"{Machine}, {Bits}-bit";
}
