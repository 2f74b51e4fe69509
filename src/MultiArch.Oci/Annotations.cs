namespace MultiArch.Oci;

/// <summary>Annotation keys this library reads or writes.</summary>
public static class Annotations
{
    /// <summary>Human-readable description (GHCR shows it for multi-arch images).</summary>
    public const string Description = "org.opencontainers.image.description";

    /// <summary>URL of the source code.</summary>
    public const string Source = "org.opencontainers.image.source";

    /// <summary>Source revision (commit).</summary>
    public const string Revision = "org.opencontainers.image.revision";

    /// <summary>Version of the packaged software.</summary>
    public const string Version = "org.opencontainers.image.version";

    /// <summary>Creation time, RFC 3339.</summary>
    public const string Created = "org.opencontainers.image.created";

    /// <summary>SPDX license expression.</summary>
    public const string Licenses = "org.opencontainers.image.licenses";

    /// <summary>BuildKit's marker of an attestation manifest inside an index.</summary>
    public const string DockerReferenceType = "vnd.docker.reference.type";

    /// <summary>The image digest an attestation manifest describes.</summary>
    public const string DockerReferenceDigest = "vnd.docker.reference.digest";

    /// <summary>The value of <see cref="DockerReferenceType"/> for attestations.</summary>
    public const string AttestationManifest = "attestation-manifest";
}
