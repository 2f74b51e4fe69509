namespace MultiArch.Oci;

/// <summary>The media types of manifests and blobs this client reads and writes.</summary>
public static class MediaTypes
{
    /// <summary>OCI image manifest.</summary>
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";

    /// <summary>OCI image index (multi-platform).</summary>
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";

    /// <summary>OCI image config.</summary>
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";

    /// <summary>OCI gzip-compressed layer.</summary>
    public const string OciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";

    /// <summary>OCI uncompressed layer.</summary>
    public const string OciLayer = "application/vnd.oci.image.layer.v1.tar";

    /// <summary>The OCI empty descriptor's media type: the config of an artifact manifest, whose blob is <c>{}</c>.</summary>
    public const string OciEmpty = "application/vnd.oci.empty.v1+json";

    /// <summary>Docker image manifest, schema 2.</summary>
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

    /// <summary>Docker manifest list (multi-platform).</summary>
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";

    /// <summary>Docker image config.</summary>
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";

    /// <summary>Docker gzip-compressed layer.</summary>
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    /// <summary>Every manifest type, for the Accept header of manifest requests.</summary>
    public static IReadOnlyList<string> AllManifests { get; } =
        [OciIndex, OciManifest, DockerManifestList, DockerManifest];

    /// <summary>True for an index or a manifest list.</summary>
    public static bool IsIndex(string? mediaType) => mediaType is OciIndex or DockerManifestList;

    /// <summary>True for a single-platform image manifest (OCI or Docker).</summary>
    public static bool IsImageManifest(string? mediaType) => mediaType is OciManifest or DockerManifest;

    /// <summary>True for the Docker (pre-OCI) media types.</summary>
    public static bool IsDocker(string? mediaType) => mediaType?.StartsWith("application/vnd.docker.", StringComparison.Ordinal) == true;
}
