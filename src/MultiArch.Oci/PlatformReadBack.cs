namespace MultiArch.Oci;

/// <summary>
/// What platform a manifest in a registry really is, read from what the registry stores (an image's config, an
/// index's entries), never from what a record claims. PushArch asks it after each push; the merge asks it only for
/// records no push of the same run has checked (<see cref="DigestRecord.PlatformVerified"/>).
/// </summary>
public static class PlatformReadBack
{
    /// <summary>The platforms <paramref name="document"/> holds: an image's one (from its config), or an index's known ones.</summary>
    /// <exception cref="FormatException">An image's config has no os/architecture.</exception>
    public static async Task<IReadOnlyList<Platform>> ReadAsync(RegistryClient client, string repository, ManifestDocument document,
        CancellationToken cancellationToken = default) =>
        document.IsIndex
            ? document.AsIndex().Manifests.Where(m => m.Platform is { IsUnknown: false }).Select(m => m.Platform!).ToList()
            : [ImageConfig.ReadPlatform(await client.GetBlobAsync(repository, document.AsImage().Config.Digest, cancellationToken))];
}
