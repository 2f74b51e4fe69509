namespace MultiArch.Oci;

/// <summary>
/// A target platform <c>os/arch[/variant]</c>, normalized the way containerd does it so that
/// <c>linux/aarch64</c>, <c>linux/arm64/v8</c> and <c>linux/arm64</c> are the same platform.
/// </summary>
public sealed record Platform : IComparable<Platform>
{
    private static readonly HashSet<string> OperatingSystems = ["linux", "windows", "freebsd", "darwin"];

    // Architecture -> variants it may carry (empty: none allowed). Mirrors what buildx accepts.
    private static readonly Dictionary<string, string[]> Architectures = new()
    {
        ["amd64"] = ["v2", "v3", "v4"],
        ["arm64"] = [],
        ["arm"] = ["v5", "v6", "v7"],
        ["386"] = [],
        ["ppc64le"] = [],
        ["s390x"] = [],
        ["riscv64"] = [],
        ["mips64le"] = [],
        ["loong64"] = [],
    };

    private Platform(string os, string architecture, string? variant) =>
        (Os, Architecture, Variant) = (os, architecture, variant);

    /// <summary>linux/amd64.</summary>
    public static Platform LinuxAmd64 { get; } = new("linux", "amd64", null);

    /// <summary>linux/arm64.</summary>
    public static Platform LinuxArm64 { get; } = new("linux", "arm64", null);

    /// <summary>linux/arm/v7.</summary>
    public static Platform LinuxArmV7 { get; } = new("linux", "arm", "v7");

    /// <summary>The <c>unknown/unknown</c> platform BuildKit gives attestation manifests.</summary>
    public static Platform Unknown { get; } = new("unknown", "unknown", null);

    /// <summary>Operating system, e.g. <c>linux</c>.</summary>
    public string Os { get; }

    /// <summary>CPU architecture in Go's naming, e.g. <c>amd64</c>, <c>arm64</c>, <c>arm</c>.</summary>
    public string Architecture { get; }

    /// <summary>CPU variant such as <c>v7</c>, or null.</summary>
    public string? Variant { get; }

    /// <summary>
    /// A short name safe for tags and file names: <c>amd64</c>, <c>arm64</c>, <c>arm-v7</c>
    /// (prefixed with the OS when it is not Linux, e.g. <c>windows-amd64</c>).
    /// </summary>
    public string Pair
    {
        get
        {
            var arch = Variant is null ? Architecture : $"{Architecture}-{Variant}";
            return Os == "linux" ? arch : $"{Os}-{arch}";
        }
    }

    /// <summary>Parses <c>os/arch[/variant]</c>, accepting common aliases (aarch64, x86_64, armhf).</summary>
    /// <exception cref="OciInputException">The text is not a platform.</exception>
    public static Platform Parse(string text)
    {
        var parts = (text ?? "").Trim().Split('/');
        if (string.IsNullOrWhiteSpace(text))
            throw Bad(text, "write os/arch, for example linux/amd64");
        if (parts.Length == 1)
            throw Bad(text, $"it has no operating system; write linux/{parts[0].ToLowerInvariant()}");
        if (parts.Length > 3 || parts.Any(string.IsNullOrWhiteSpace))
            throw Bad(text, "write os/arch[/variant], for example linux/arm/v7");
        return Create(parts[0], parts[1], parts.Length == 3 ? parts[2] : null, text);
    }

    /// <summary>Parses a platform, returning false instead of throwing.</summary>
    public static bool TryParse(string text, out Platform platform)
    {
        try { platform = Parse(text); return true; }
        catch (OciInputException) { platform = null!; return false; }
    }

    /// <summary>Builds a normalized platform from its parts (as found in an image config or a descriptor).</summary>
    /// <exception cref="OciInputException">An unknown OS, architecture or variant.</exception>
    public static Platform Create(string os, string architecture, string? variant = null) =>
        Create(os, architecture, variant, $"{os}/{architecture}{(string.IsNullOrEmpty(variant) ? "" : "/" + variant)}");

    private static Platform Create(string os, string architecture, string? variant, string input)
    {
        os = os.Trim().ToLowerInvariant();
        var arch = architecture.Trim().ToLowerInvariant();
        variant = string.IsNullOrWhiteSpace(variant) ? null : variant.Trim().ToLowerInvariant();
        if (os == "unknown" && arch == "unknown") return Unknown;

        (arch, var aliasVariant) = arch switch
        {
            "aarch64" or "armv8" or "arm64v8" => ("arm64", null),
            "x86_64" or "x86-64" or "x64" => ("amd64", null),
            "armhf" or "armv7" or "armv7l" => ("arm", "v7"),
            "armel" or "armv6" or "armv6l" => ("arm", "v6"),
            "i386" or "i686" or "x86" => ("386", null),
            _ => (arch, null as string),
        };
        if (aliasVariant is not null)
        {
            if (variant is not null && variant != aliasVariant)
                throw Bad(input, $"'{architecture}' already means {arch}/{aliasVariant}; drop the variant");
            variant = aliasVariant;
        }
        if (arch == "arm64" && variant == "v8") variant = null; // arm64 is v8 by definition
        if (arch == "arm" && variant is null) variant = "v7";    // containerd's default for plain arm
        if (variant is not null && !variant.StartsWith('v')) variant = "v" + variant;

        if (!OperatingSystems.Contains(os))
            throw Bad(input, $"unknown operating system '{os}'; use one of {string.Join(", ", OperatingSystems)}");
        if (!Architectures.TryGetValue(arch, out var variants))
            throw Bad(input, $"unknown architecture '{arch}'; use one of {string.Join(", ", Architectures.Keys)}");
        if (variant is not null && !variants.Contains(variant))
            throw Bad(input, variants.Length == 0
                ? $"{arch} takes no variant; write {os}/{arch}"
                : $"{arch} variants are {string.Join(", ", variants)}");
        return new Platform(os, arch, variant);
    }

    /// <summary>True for the <c>unknown/unknown</c> platform of attestation manifests.</summary>
    public bool IsUnknown => Os == "unknown";

    /// <summary>The canonical form, e.g. <c>linux/arm/v7</c>.</summary>
    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";

    /// <summary>Orders platforms by their canonical text, which keeps index children in a stable order.</summary>
    public int CompareTo(Platform? other) => string.CompareOrdinal(ToString(), other?.ToString());

    private static OciInputException Bad(string? input, string fix) =>
        new($"Platform '{input}' is not valid: {fix}.");
}
