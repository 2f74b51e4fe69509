using System.Globalization;
using MultiArch.Oci.Tagging;

namespace MultiArch.Oci;

/// <summary>
/// The tags a release gets, in the style of docker/metadata-action: the version, <c>major.minor</c> and
/// <c>major</c> for semver, <c>latest</c> only for a non-prerelease, <c>sha-&lt;short&gt;</c>, and raw extra tags.
/// </summary>
public static class TagRules
{
    /// <summary>Tags for a version, in order, without duplicates.</summary>
    /// <param name="version">A semver (<c>1.2.3</c>, <c>v1.2.3-rc.1</c>) or any valid tag (<c>nightly</c>).</param>
    /// <param name="revision">Commit SHA; adds <c>sha-&lt;first 7&gt;</c>.</param>
    /// <param name="extraTags">Raw tags added as given (validated).</param>
    /// <exception cref="OciInputException">The version, revision or an extra tag is not valid.</exception>
    public static IReadOnlyList<string> For(string version, string? revision = null, IEnumerable<string>? extraTags = null) =>
        For(ImageVersion.Parse(version), revision, extraTags);

    /// <summary>
    /// Tags for a parsed version: <see cref="Tags.Default"/> (the version, a release's floating tags, sha-),
    /// then the extras.
    /// </summary>
    public static IReadOnlyList<string> For(ImageVersion version, string? revision = null, IEnumerable<string>? extraTags = null) =>
        Tags.Default.For(new TagContext { Version = version, Sha = revision }, extraTags);

    /// <summary>
    /// The tags that follow the newest release: <c>1.2</c>, <c>1</c> and <c>latest</c>; none for a pre-release
    /// or non-semver.
    /// </summary>
    public static IReadOnlyList<string> Floating(ImageVersion version) =>
        version.IsRelease ? [version.MajorMinor, version.Major.ToString(CultureInfo.InvariantCulture), "latest"] : [];

    /// <summary>
    /// The floating tags of <paramref name="version"/> that must stay where they are, because <paramref name="published"/>
    /// (the repository's tags) holds a newer release in that tag's range: <c>latest</c> any release, <c>1</c> the 1.x
    /// releases, <c>1.2</c> the 1.2.x ones. Each comes with the newer release that keeps it.
    /// </summary>
    public static IReadOnlyList<(string Tag, ImageVersion Newer)> HeldBack(ImageVersion version, IEnumerable<string> published)
    {
        if (!version.IsRelease) return [];
        var releases = published.Select(ImageVersion.TryParseSemver).OfType<ImageVersion>().Where(v => v.IsRelease).ToList();
        var held = new List<(string, ImageVersion)>();
        foreach (var tag in Floating(version))
        {
            var inRange = tag == "latest" ? releases
                : tag.Contains('.') ? releases.Where(v => v.MajorMinor == version.MajorMinor)
                    : releases.Where(v => v.Major == version.Major);
            if (inRange.Max() is { } newest && newest.CompareTo(version) > 0) held.Add((tag, newest));
        }
        return held;
    }

    /// <summary>True when the version is a semver prerelease such as <c>1.2.3-rc.1</c>.</summary>
    public static bool IsPrerelease(string version) => ImageVersion.TryParseSemver(version.Trim()) is { IsSemver: true, IsRelease: false };

    /// <summary>Checks one tag: at most 128 characters of <c>[A-Za-z0-9_.-]</c>, first not '.' or '-'.</summary>
    /// <exception cref="OciInputException">The tag is not valid.</exception>
    public static void Validate(string tag, string? context = null)
    {
        try { ImageReference.ValidateTag(tag); }
        catch (OciInputException e) when (context is not null)
        {
            throw new OciInputException($"{context}: {e.Message}");
        }
    }
}
