using System.Text.RegularExpressions;

namespace MultiArch.Oci;

/// <summary>
/// The tags a release gets, in the style of docker/metadata-action: the version, <c>major.minor</c> and
/// <c>major</c> for semver, <c>latest</c> only for a non-prerelease, <c>sha-&lt;short&gt;</c>, and raw extra tags.
/// </summary>
public static partial class TagRules
{
    /// <summary>Tags for a version, in order, without duplicates.</summary>
    /// <param name="version">A semver (<c>1.2.3</c>, <c>v1.2.3-rc.1</c>) or any valid tag (<c>nightly</c>).</param>
    /// <param name="revision">Commit SHA; adds <c>sha-&lt;first 7&gt;</c>.</param>
    /// <param name="extraTags">Raw tags added as given (validated).</param>
    /// <exception cref="OciInputException">The version, revision or an extra tag is not valid.</exception>
    public static IReadOnlyList<string> For(string version, string? revision = null, IEnumerable<string>? extraTags = null)
    {
        if (string.IsNullOrWhiteSpace(version))
            throw new OciInputException("Version is empty: pass --version, for example --version 1.2.3.");
        var tags = new List<string>();
        var semver = SemverPattern().Match(version.Trim());
        if (semver.Success)
        {
            var (major, minor, patch) = (semver.Groups["major"].Value, semver.Groups["minor"].Value, semver.Groups["patch"].Value);
            var prerelease = semver.Groups["pre"].Value;
            // '+' is not allowed in tags; metadata-action writes build metadata with '-' instead.
            var build = semver.Groups["build"].Success ? "-" + semver.Groups["build"].Value : "";
            var full = $"{major}.{minor}.{patch}{(prerelease.Length > 0 ? "-" + prerelease : "")}{build}";
            tags.Add(full);
            if (prerelease.Length == 0)
            {
                tags.Add($"{major}.{minor}");
                tags.Add(major);
                tags.Add("latest");
            }
        }
        else
        {
            Validate(version.Trim(), $"Version '{version}' is neither semver (1.2.3) nor a valid tag");
            tags.Add(version.Trim());
        }
        if (!string.IsNullOrEmpty(revision))
        {
            if (!ShaPattern().IsMatch(revision))
                throw new OciInputException($"Revision '{revision}' is not a commit SHA: pass 7 to 40 hex characters, e.g. from `git rev-parse HEAD`.");
            tags.Add("sha-" + revision[..7].ToLowerInvariant());
        }
        foreach (var extra in extraTags ?? [])
        {
            Validate(extra, $"Extra tag '{extra}' is not valid");
            tags.Add(extra);
        }
        return tags.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>True when the version is a semver prerelease such as <c>1.2.3-rc.1</c>.</summary>
    public static bool IsPrerelease(string version) =>
        SemverPattern().Match(version.Trim()) is { Success: true } m && m.Groups["pre"].Value.Length > 0;

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

    [GeneratedRegex(@"^v?(?<major>0|[1-9]\d*)\.(?<minor>0|[1-9]\d*)\.(?<patch>0|[1-9]\d*)(?:-(?<pre>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+(?<build>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$")]
    private static partial Regex SemverPattern();

    [GeneratedRegex("^[0-9a-fA-F]{7,40}$")]
    private static partial Regex ShaPattern();
}
