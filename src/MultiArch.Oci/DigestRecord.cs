namespace MultiArch.Oci;

/// <summary>
/// What ExportDigest hands to MergeManifest for one platform: where the per-architecture image is and what it is.
/// Records read from Docker's multi-runner format carry only <see cref="Digest"/>; the rest is then null.
/// </summary>
/// <param name="Repository">Registry and repository without tag or digest, e.g. <c>ghcr.io/acme/server</c>; null in the
/// digest-only format.</param>
/// <param name="Digest">The per-architecture manifest digest.</param>
/// <param name="Platform">The platform the image is for; null in the digest-only format (read from the config).</param>
/// <param name="Tag">The per-architecture tag, e.g. <c>1.4.0-arm64</c>, or null.</param>
/// <param name="MediaType">The manifest's media type, or null.</param>
/// <param name="Size">The manifest's size in bytes, or null.</param>
public sealed record DigestRecord(ImageReference? Repository, Digest Digest, Platform? Platform, string? Tag = null,
    string? MediaType = null, long? Size = null)
{
    /// <summary>Where the record came from (a file path), for error messages; not serialized.</summary>
    public string? Source { get; init; }

    /// <summary>
    /// True when this run read the image back from the registry after pushing it and found <see cref="Platform"/>
    /// (PushArch's check): the merge then does not read its config again. Not serialized: a record read from a file
    /// is checked by the merge.
    /// </summary>
    public bool PlatformVerified { get; init; }
}
