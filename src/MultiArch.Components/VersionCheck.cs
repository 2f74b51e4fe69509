using System.Security.Cryptography;
using System.Text;
using MultiArch.Build;
using MultiArch.Oci;

namespace MultiArch.Components;

/// <summary>
/// The version as the user gave it, checked against what the tags made from it need, so a bad one is named as the
/// version (and why) rather than as some tag built from it.
/// </summary>
public static class VersionCheck
{
    /// <summary>The longest tag a registry takes (the OCI distribution rule).</summary>
    public const int MaxTagLength = 128;

    /// <summary>The longest architecture suffix a per-platform tag adds (<c>-ppc64le</c>, <c>-riscv64</c>).</summary>
    public const int MaxSuffixLength = 8;

    /// <summary>The longest version: its per-platform tags (<c>version-arch</c>) must still be valid tags.</summary>
    public const int MaxLength = MaxTagLength - MaxSuffixLength;

    /// <summary>Returns <paramref name="version"/> when every tag made from it is valid; else one line naming it, where it came from, and why.</summary>
    /// <param name="version">The version.</param>
    /// <param name="source">Where it came from, e.g. <c>--version</c> or <c>the git tag</c>.</param>
    /// <exception cref="BuildException">The version cannot be a tag.</exception>
    public static string Checked(string version, string source)
    {
        if (version.Length > MaxLength)
            throw new BuildException(
                $"{source} '{version[..12]}...' is {version.Length} characters: at most {MaxLength} fit, since each per-platform tag adds " +
                $"'-<arch>' (up to {MaxSuffixLength} characters) and a tag holds at most {MaxTagLength}. Pass a shorter version.");
        try { TagRules.For(version); }
        catch (OciInputException e) { throw new BuildException($"{source}: {e.Message}"); }
        return version;
    }

    /// <summary>A short stand-in for a long version in internal tags (stable for the same version).</summary>
    public static string Hash(string version) =>
        "v" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(version)))[..12].ToLowerInvariant();
}
