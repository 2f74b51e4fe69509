using System.Net;

namespace MultiArch.Oci.Mirroring;

/// <summary>
/// Publishes an index that is already in one registry to others, with the same digest everywhere: blobs first
/// (a cross-repository mount within the source's registry, else one stream from the source to the destination,
/// skipped when the destination has the blob), then the per-platform manifests and referrers by digest, then the
/// index's exact bytes by digest, and only then its tags. A mirror that fails is reported and left without a tag
/// on anything incomplete; the others carry on.
/// </summary>
/// <param name="source">A client for the registry that holds the index.</param>
/// <param name="sourceRepository">The index's repository there, e.g. <c>acme/app</c>.</param>
public sealed class RegistryMirror(RegistryClient source, string sourceRepository)
{
    /// <summary>Blobs copied to one mirror at once (each is one open source stream and one upload).</summary>
    public int MaxConcurrentBlobs { get; init; } = 4;

    /// <summary>
    /// Mirrors index <paramref name="index"/> to each target in turn, pointing <paramref name="tags"/> at it there.
    /// Never throws for a failing mirror: its result carries the error. Throws only when the source cannot be read.
    /// </summary>
    /// <exception cref="OciRegistryException">The source index or one of its manifests could not be read.</exception>
    public async Task<IReadOnlyList<MirrorResult>> MirrorAsync(Digest index, IReadOnlyList<MirrorTarget> targets,
        IReadOnlyList<string> tags, CancellationToken cancellationToken = default)
    {
        foreach (var tag in tags) TagRules.Validate(tag);
        if (targets.Count == 0) return [];
        var graph = await SourceGraph.ReadAsync(source, sourceRepository, index, cancellationToken);
        var results = new List<MirrorResult>();
        // One at a time: each mirror's traffic is then its own, even when two mirrors share a client.
        foreach (var target in targets)
            results.Add(await MirrorOneAsync(graph, target, tags, cancellationToken));
        return results;
    }

    private async Task<MirrorResult> MirrorOneAsync(SourceGraph graph, MirrorTarget target, IReadOnlyList<string> tags,
        CancellationToken cancellationToken)
    {
        var (client, repository) = (target.Client, target.Repository);
        var before = client.Traffic;
        var tally = new Tally();
        var pushedTags = new List<string>();
        var unchangedTags = new List<string>();
        string? error = null;
        try
        {
            await Parallel.ForEachAsync(graph.Blobs,
                new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentBlobs, CancellationToken = cancellationToken },
                async (blob, token) => await CopyBlobAsync(target, blob, tally, token));
            foreach (var manifest in graph.Manifests)
                await PutManifestAsync(client, repository, manifest, tally, cancellationToken);
            foreach (var referrer in graph.Referrers)
            {
                if (!await client.PutReferrerAsync(repository, referrer.Document, cancellationToken))
                    await ReferrerPublisher.AddToTagSchemaAsync(client, repository, referrer.Subject, referrer.Entry, cancellationToken);
                Interlocked.Increment(ref tally.Referrers);
            }
            // Everything the index lists is there now: the index may appear, by digest first, then under its tags.
            await PutManifestAsync(client, repository, graph.Index, tally, cancellationToken);
            foreach (var tag in tags)
            {
                if ((await client.HeadManifestAsync(repository, tag, cancellationToken))?.Digest == graph.Index.Digest)
                {
                    unchangedTags.Add(tag);
                    continue;
                }
                await client.PutManifestAsync(repository, tag, graph.Index, cancellationToken);
                pushedTags.Add(tag);
            }
        }
        catch (Exception e) when (e is OciRegistryException or OciInputException or HttpRequestException or IOException ||
                                  e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            error = e.Message;
        }
        return new MirrorResult(target.ToString(), graph.Index.Digest)
        {
            BlobsMounted = tally.Mounted, BlobsCopied = tally.Copied, BlobsSkipped = tally.Skipped, BytesUploaded = tally.Bytes,
            ManifestsPushed = tally.ManifestsPushed, ManifestsPresent = tally.ManifestsPresent, Referrers = tally.Referrers,
            TagsPushed = pushedTags, TagsUnchanged = unchangedTags, Traffic = client.Traffic - before, Error = error,
        };
    }

    private async Task CopyBlobAsync(MirrorTarget target, Descriptor blob, Tally tally, CancellationToken cancellationToken)
    {
        var (client, repository) = (target.Client, target.Repository);
        if (await client.BlobExistsAsync(repository, blob.Digest, cancellationToken))
        {
            Interlocked.Increment(ref tally.Skipped);
            return;
        }
        // Mounts only work within one registry; a 202 (the registry opened an upload instead) falls through to a copy.
        if (string.Equals(client.Registry, source.Registry, StringComparison.OrdinalIgnoreCase) &&
            await client.MountBlobAsync(repository, blob.Digest, sourceRepository, cancellationToken))
        {
            Interlocked.Increment(ref tally.Mounted);
            return;
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var stream = await source.OpenBlobAsync(sourceRepository, blob.Digest, cancellationToken);
                var descriptor = blob.Size >= 0 || stream.Length < 0 ? blob : blob with { Size = stream.Length };
                await client.PushBlobStreamAsync(repository, descriptor, stream.Content, cancellationToken);
                Interlocked.Increment(ref tally.Copied);
                Interlocked.Add(ref tally.Bytes, descriptor.Size);
                return;
            }
            catch (OciRegistryException e) when (attempt < 3 && !cancellationToken.IsCancellationRequested &&
                                                 e.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                                                     or HttpStatusCode.NotFound))
            {
                // A stream cannot be replayed, so the copy starts over; a lost answer may have been a success.
                if (await client.BlobExistsAsync(repository, blob.Digest, cancellationToken))
                {
                    Interlocked.Increment(ref tally.Copied);
                    Interlocked.Add(ref tally.Bytes, blob.Size);
                    return;
                }
            }
        }
    }

    private static async Task PutManifestAsync(RegistryClient client, string repository, ManifestDocument manifest, Tally tally,
        CancellationToken cancellationToken)
    {
        if (await client.HeadManifestAsync(repository, manifest.Digest.ToString(), cancellationToken) is not null)
        {
            tally.ManifestsPresent++;
            return;
        }
        await client.PutManifestAsync(repository, manifest.Digest.ToString(), manifest, cancellationToken);
        tally.ManifestsPushed++;
    }

    // Counters shared by the parallel blob copies of one mirror.
    private sealed class Tally
    {
        public int Mounted, Copied, Skipped, ManifestsPushed, ManifestsPresent, Referrers;
        public long Bytes;
    }
}
