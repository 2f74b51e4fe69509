using System.Globalization;
using System.Text.RegularExpressions;

namespace MultiArch.Oci;

/// <summary>
/// The version a run publishes, parsed once: <c>v1.4.0</c>, <c>1.4.0</c> and a git tag <c>v1.4.0</c> are the same
/// version, <c>1.4.0</c>, in every per-arch tag, index tag, label and annotation. A semver version orders by semver
/// precedence (so floating tags can tell "newer"); anything else (<c>dev</c>, <c>nightly</c>) is a plain tag.
/// </summary>
public sealed partial record ImageVersion : IComparable<ImageVersion>
{
    /// <summary>
    /// The longest version: per-arch tags append <c>-&lt;arch&gt;</c> (at most 9 characters, <c>-mips64le</c>) and a
    /// tag holds at most 128.
    /// </summary>
    public const int MaxLength = 128 - 9;

    private ImageVersion(string text, int[]? release, string prerelease)
        => (Text, _release, Prerelease) = (text, release, prerelease);

    private readonly int[]? _release;

    /// <summary>The version as every tag and label spells it, e.g. <c>1.4.0</c>, <c>1.5.0-rc.1</c> or <c>dev</c>.</summary>
    public string Text { get; }

    /// <summary>True for <c>major.minor.patch</c> with an optional pre-release and build.</summary>
    public bool IsSemver => _release is not null;

    /// <summary>Semver major (zero when not semver).</summary>
    public int Major => _release?[0] ?? 0;

    /// <summary>Semver minor (zero when not semver).</summary>
    public int Minor => _release?[1] ?? 0;

    /// <summary>Semver patch (zero when not semver).</summary>
    public int Patch => _release?[2] ?? 0;

    /// <summary>The pre-release part (<c>rc.1</c>), empty when there is none.</summary>
    public string Prerelease { get; }

    /// <summary>True for a semver release without pre-release: only these move <c>latest</c>, <c>1</c> and <c>1.2</c>.</summary>
    public bool IsRelease => IsSemver && Prerelease.Length == 0;

    /// <summary>Parses a version from <c>--version</c>, the environment, parameters.json or a git tag.</summary>
    /// <exception cref="OciInputException">One line naming the value and the fix.</exception>
    public static ImageVersion Parse(string text)
    {
        var given = text ?? "";
        if (string.IsNullOrWhiteSpace(given))
            throw new OciInputException("Version is empty: pass a version such as 1.2.3, " +
                "or leave it out for the default (the exact git tag, else dev).");
        var trimmed = given.Trim();
        var semver = SemverPattern().Match(trimmed);
        ImageVersion version;
        if (semver.Success)
        {
            // '+' is not allowed in tags; metadata-action writes build metadata with '-' instead.
            var pre = semver.Groups["pre"].Value;
            var build = semver.Groups["build"].Success ? "-" + semver.Groups["build"].Value : "";
            int[] release = [Number(semver, "major"), Number(semver, "minor"), Number(semver, "patch")];
            var normalised = $"{release[0]}.{release[1]}.{release[2]}{(pre.Length > 0 ? "-" + pre : "")}{build}";
            version = new ImageVersion(normalised, release, pre);
        }
        else
        {
            try { ImageReference.ValidateTag(trimmed); }
            catch (OciInputException e) { throw new OciInputException($"Version '{given}' is neither semver (1.2.3) " +
                $"nor a valid tag: {e.Message}"); }
            version = new ImageVersion(trimmed, null, "");
        }
        if (version.Text.Length > MaxLength)
            throw new OciInputException($"Version '{Shorten(given)}' is {version.Text.Length} characters: " +
                $"use at most {MaxLength}, so that per-arch tags such as <version>-arm-v7 stay within the 128 a tag may hold.");
        return version;
    }

    /// <summary>Parses, returning null instead of throwing (for reading tags already in a registry).</summary>
    public static ImageVersion? TryParseSemver(string text)
    {
        if (!SemverPattern().IsMatch(text)) return null;
        try { return Parse(text); } catch (OciInputException) { return null; }
    }

    /// <summary>The <c>major.minor</c> of a semver version.</summary>
    public string MajorMinor => $"{Major}.{Minor}";

    /// <summary>
    /// Semver precedence (semver.org §11): release parts numerically, a pre-release below its release, pre-release
    /// identifiers numerically or by ordinal. Non-semver versions sort below every semver one, among themselves by text.
    /// </summary>
    public int CompareTo(ImageVersion? other)
    {
        if (other is null) return 1;
        if (_release is null || other._release is null)
            return _release is null && other._release is null ? string.CompareOrdinal(Text, other.Text) : _release is null ? -1 : 1;
        for (var i = 0; i < 3; i++)
            if (_release[i].CompareTo(other._release[i]) is var c and not 0) return c;
        // A release is above its own pre-releases: 1.5.0 > 1.5.0-rc.1.
        if (Prerelease.Length == 0 || other.Prerelease.Length == 0) return Math.Sign(other.Prerelease.Length.CompareTo(Prerelease.Length));
        var (a, b) = (Prerelease.Split('.'), other.Prerelease.Split('.'));
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var (na, nb) = (int.TryParse(a[i], NumberStyles.None, CultureInfo.InvariantCulture, out var x),
                int.TryParse(b[i], NumberStyles.None, CultureInfo.InvariantCulture, out var y));
            var c = na && nb ? x.CompareTo(y) : na ? -1 : nb ? 1 : string.CompareOrdinal(a[i], b[i]);
            if (c != 0) return c;
        }
        return a.Length.CompareTo(b.Length);
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    static int Number(Match m, string group) =>
        int.TryParse(m.Groups[group].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
            : throw new OciInputException($"Version part '{m.Groups[group].Value}' is too large a number.");

    static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";

    [GeneratedRegex(@"^[vV]?(?<major>0|[1-9]\d*)\.(?<minor>0|[1-9]\d*)\.(?<patch>0|[1-9]\d*)" +
        @"(?:-(?<pre>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?" +
        @"(?:\+(?<build>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$")]
    private static partial Regex SemverPattern();
}
