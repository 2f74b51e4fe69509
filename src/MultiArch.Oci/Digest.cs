using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace MultiArch.Oci;

/// <summary>A content digest such as <c>sha256:4f1c…</c>: the hash of the exact bytes of a blob or manifest.</summary>
public sealed partial record Digest
{
    private Digest(string algorithm, string hex) => (Algorithm, Hex) = (algorithm, hex);

    /// <summary>The algorithm, e.g. <c>sha256</c>.</summary>
    public string Algorithm { get; }

    /// <summary>The lower-case hex encoding of the hash.</summary>
    public string Hex { get; }

    /// <summary>Parses <c>algorithm:hex</c>; only sha256 and sha512 are accepted because registries verify only those.</summary>
    /// <exception cref="OciInputException">The text is not a digest.</exception>
    public static Digest Parse(string text)
    {
        if (TryParse(text, out var digest)) return digest;
        throw new OciInputException(
            $"'{text}' is not a digest; expected sha256: followed by 64 lower-case hex characters.");
    }

    /// <summary>Parses a digest, returning false instead of throwing.</summary>
    public static bool TryParse(string? text, out Digest digest)
    {
        digest = null!;
        if (text is null) return false;
        var match = Pattern().Match(text);
        if (!match.Success) return false;
        var (algorithm, hex) = (match.Groups[1].Value, match.Groups[2].Value);
        if (hex.Length != (algorithm == "sha256" ? 64 : 128)) return false;
        digest = new Digest(algorithm, hex);
        return true;
    }

    /// <summary>Parses the bare hex of a sha256 digest (the file names of Docker's multi-runner recipe).</summary>
    public static bool TryParseSha256Hex(string hex, out Digest digest) => TryParse("sha256:" + hex, out digest);

    /// <summary>Computes the sha256 digest of exactly these bytes.</summary>
    public static Digest Compute(ReadOnlySpan<byte> content) =>
        new("sha256", Convert.ToHexStringLower(SHA256.HashData(content)));

    /// <summary>Wraps an already computed sha256 hash.</summary>
    public static Digest FromSha256(ReadOnlySpan<byte> hash) => new("sha256", Convert.ToHexStringLower(hash));

    /// <summary>True when <paramref name="content"/> hashes to this digest.</summary>
    public bool Matches(ReadOnlySpan<byte> content)
    {
        Span<byte> hash = stackalloc byte[64];
        var length = Algorithm == "sha512" ? SHA512.HashData(content, hash) : SHA256.HashData(content, hash);
        return Convert.ToHexStringLower(hash[..length]) == Hex;
    }

    /// <summary>The canonical form <c>algorithm:hex</c>.</summary>
    public override string ToString() => $"{Algorithm}:{Hex}";

    [GeneratedRegex("^(sha256|sha512):([a-f0-9]+)$")]
    private static partial Regex Pattern();
}
