namespace MultiArch.Oci.Mirroring;

/// <summary>
/// Everything an index needs in a registry, read once from the source: its manifests in push order (children before
/// the index that lists them, referrers after their subjects) and the distinct blobs they reference.
/// </summary>
internal sealed class SourceGraph
{
    private SourceGraph(ManifestDocument index, IReadOnlyList<ManifestDocument> manifests, IReadOnlyList<SourceReferrer> referrers,
        IReadOnlyList<Descriptor> blobs) => (Index, Manifests, Referrers, Blobs) = (index, manifests, referrers, blobs);

    /// <summary>The index, exactly as the source stores it.</summary>
    public ManifestDocument Index { get; }

    /// <summary>The index's descendants, children first; the index itself is not among them.</summary>
    public IReadOnlyList<ManifestDocument> Manifests { get; }

    /// <summary>Referrers of the index and of its descendants.</summary>
    public IReadOnlyList<SourceReferrer> Referrers { get; }

    /// <summary>Configs and layers of every image manifest and referrer, each once.</summary>
    public IReadOnlyList<Descriptor> Blobs { get; }

    /// <summary>Reads the index <paramref name="digest"/> and everything below it.</summary>
    public static async Task<SourceGraph> ReadAsync(RegistryClient source, string repository, Digest digest,
        CancellationToken cancellationToken)
    {
        var index = await source.GetManifestAsync(repository, digest.ToString(), cancellationToken);
        var manifests = new List<ManifestDocument>();
        var blobs = new Dictionary<Digest, Descriptor>();
        var seen = new HashSet<Digest> { index.Digest };
        await AddChildrenAsync(source, repository, index, manifests, blobs, seen, cancellationToken);

        var referrers = new List<SourceReferrer>();
        foreach (var subject in manifests.Append(index).ToList())
        {
            foreach (var entry in await source.ListReferrersAsync(repository, subject.Digest, cancellationToken))
            {
                if (!seen.Add(entry.Digest)) continue;
                var document = await source.GetManifestAsync(repository, entry.Digest.ToString(), cancellationToken);
                if (document.IsIndex) continue; // a referrer that is an index is not something MultiArch writes; leave it
                AddBlobs(document, blobs);
                referrers.Add(new SourceReferrer(subject.Digest, entry, document));
            }
        }
        return new SourceGraph(index, manifests, referrers, [.. blobs.Values]);
    }

    private static async Task AddChildrenAsync(RegistryClient source, string repository, ManifestDocument parent,
        List<ManifestDocument> manifests, Dictionary<Digest, Descriptor> blobs, HashSet<Digest> seen, CancellationToken cancellationToken)
    {
        foreach (var child in parent.AsIndex().Manifests)
        {
            if (!seen.Add(child.Digest)) continue;
            var document = await source.GetManifestAsync(repository, child.Digest.ToString(), cancellationToken);
            if (document.IsIndex) await AddChildrenAsync(source, repository, document, manifests, blobs, seen, cancellationToken);
            else AddBlobs(document, blobs);
            manifests.Add(document);
        }
    }

    private static void AddBlobs(ManifestDocument document, Dictionary<Digest, Descriptor> blobs)
    {
        var image = document.AsImage();
        foreach (var blob in image.Layers.Prepend(image.Config)) blobs.TryAdd(blob.Digest, blob);
    }
}

/// <summary>A referrer of a manifest in the graph: the manifest, and its entry as the referrers list shows it.</summary>
internal sealed record SourceReferrer(Digest Subject, Descriptor Entry, ManifestDocument Document);
