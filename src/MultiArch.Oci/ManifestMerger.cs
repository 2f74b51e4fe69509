using System.Net;

namespace MultiArch.Oci;

/// <summary>
/// Turns per-platform images into one multi-platform index. Only manifests move (never layers). Everything is
/// checked before the first push, the index is pushed by digest before any tag, and the bytes are deterministic,
/// so a re-run with the same inputs changes nothing.
/// </summary>
/// <param name="client">A client for the target's registry.</param>
public sealed class ManifestMerger(RegistryClient client)
{
    private sealed record Child(Descriptor Descriptor, DigestRecord Source);

    /// <summary>
    /// How many digest records are read at once. Each read is a connection (a manifest, then a config): unbounded,
    /// 10,000 records opened ~11,000 sockets and ran the process out of file descriptors.
    /// </summary>
    public const int MaxConcurrentReads = 8;

    /// <summary>Checks, builds and (unless dry-run) pushes the index and its tags.</summary>
    /// <exception cref="OciInputException">A platform is missing, duplicated, unexpected or mislabelled, or a digest is
    /// absent; nothing was pushed.</exception>
    /// <exception cref="OciRegistryException">The registry failed after retries.</exception>
    public async Task<MergeResult> MergeAsync(MergeRequest request, CancellationToken cancellationToken = default)
    {
        var before = client.Traffic;
        var target = request.Target.WithoutTagOrDigest();
        Validate(request, target);

        // The first source alone: its requests learn the registry's auth challenge, so the rest (read in parallel)
        // authenticate up front instead of each collecting a 401.
        var children = (await ResolveAsync(target, request.Sources[0], request.KeepAttestations, cancellationToken)).ToList();
        // The rest a few at a time: the first failure stops the others, and the order stays the records' order.
        var rest = new IReadOnlyList<Child>[request.Sources.Count - 1];
        await Parallel.ForEachAsync(Enumerable.Range(1, rest.Length),
            new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentReads, CancellationToken = cancellationToken },
            async (i, token) => rest[i - 1] = await ResolveAsync(target, request.Sources[i], request.KeepAttestations, token));
        children.AddRange(rest.SelectMany(c => c));
        var images = CheckPlatforms(request, target, children.Where(c => !c.Descriptor.IsAttestation).ToList());
        var imageOrder = images.Select((c, i) => (c.Descriptor.Digest.ToString(), i)).ToDictionary();
        var attestations = children.Where(c => c.Descriptor.IsAttestation)
            .Select(c => c.Descriptor)
            .Where(d => d.Annotations?.GetValueOrDefault(Annotations.DockerReferenceDigest) is { } of && imageOrder.ContainsKey(of))
            .DistinctBy(d => d.Digest)
            .OrderBy(d => imageOrder[d.Annotations![Annotations.DockerReferenceDigest]]).ThenBy(d => d.Digest.ToString(),
                StringComparer.Ordinal)
            .ToList();

        var annotations = request.Annotations.Where(a => a.Value.Length > 0).ToDictionary(StringComparer.Ordinal);
        var docker = annotations.Count == 0 && attestations.Count == 0 &&
                     images.All(c => c.Descriptor.MediaType == MediaTypes.DockerManifest);
        var index = new ImageIndex(docker ? MediaTypes.DockerManifestList : MediaTypes.OciIndex,
            [.. images.Select(c => c.Descriptor with { Annotations = null, ArtifactType = null }), .. attestations])
        {
            Annotations = annotations.Count == 0 ? null : annotations,
        };
        var document = ManifestDocument.FromBytes(index.ToJson(), index.MediaType);

        var pushed = new List<string>();
        var unchanged = new List<string>();
        if (!request.DryRun)
            await PushAsync(target.Repository, document, request.Tags, pushed, unchanged, cancellationToken);

        var reference = (request.Tags.Count > 0 ? target.WithTag(request.Tags[0]) : target).WithDigest(document.Digest);
        return new MergeResult(reference, document.MediaType, document.Bytes,
            images.Select(c => new MergedPlatform(
                c.Descriptor.Platform!, c.Descriptor.Digest, c.Descriptor.MediaType, c.Descriptor.Size)).ToList(),
            pushed, unchanged, request.DryRun, client.Traffic - before)
        {
            Attestations = attestations.Count,
        };
    }

    private void Validate(MergeRequest request, ImageReference target)
    {
        if (!string.Equals(ImageReference.Create(client.Registry, "x").Registry, target.Registry, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"The client is for {client.Registry} but the target is {target}.", nameof(request));
        if (request.Platforms.Count == 0)
            throw new OciInputException("No platforms to merge: pass --platform, for example --platform linux/amd64 linux/arm64.");
        if (request.Platforms.GroupBy(p => p).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new OciInputException($"Platform {twice.Key} is listed twice in --platform: list each platform once.");
        if (request.Sources.Count == 0)
            throw new OciInputException("No digest records to merge: run ExportDigest for each platform first.");
        foreach (var tag in request.Tags) TagRules.Validate(tag);
        foreach (var source in request.Sources)
            if (source.Repository is { } repository && repository.Name != target.Name)
                throw new OciInputException(
                    $"Digest record {Describe(source)} is for {repository.Name}, not {target.Name}: " +
                    "merge into the repository the images were pushed to.");
    }

    private async Task<IReadOnlyList<Child>> ResolveAsync(ImageReference target, DigestRecord source, bool keepAttestations,
        CancellationToken cancellationToken)
    {
        var document = await GetAsync(target, source, source.Digest, cancellationToken);
        if (!document.IsIndex)
            return [new Child(await VerifyImageAsync(target, source, document, cancellationToken), source)];

        // A source that is itself an index (buildx pushes one, often with attestations): flatten it.
        var index = document.AsIndex();
        var images = index.Manifests.Where(m => !m.IsAttestation && MediaTypes.IsImageManifest(m.MediaType)).ToList();
        if (source.Platform is { } claimed)
        {
            images = images.Where(m => m.Platform == claimed).ToList();
            if (images.Count == 0)
                throw new OciInputException(
                    $"Digest record {Describe(source)} claims {claimed}, " +
                    $"but index {source.Digest} has no {claimed} image (it has " +
                    $"{string.Join(", ", index.Manifests.Where(m => !m.IsAttestation).Select(m => m.Platform))}): " +
                    "export the right digest.");
        }
        var children = new List<Child>();
        foreach (var image in images)
        {
            var child = await GetAsync(target, source, image.Digest, cancellationToken);
            var descriptor = await VerifyImageAsync(target, source with { Platform = image.Platform ?? source.Platform }, child,
                cancellationToken);
            children.Add(new Child(descriptor, source));
        }
        if (keepAttestations)
            children.AddRange(index.Manifests.Where(m => m.IsAttestation).Select(m => new Child(m, source)));
        return children;
    }

    // Reads the config: the platform an image IS, which is what the index must say, whatever the record claims.
    private async Task<Descriptor> VerifyImageAsync(ImageReference target, DigestRecord source, ManifestDocument document,
        CancellationToken cancellationToken)
    {
        if (!MediaTypes.IsImageManifest(document.MediaType))
            throw new OciInputException($"Digest {document.Digest} from {Describe(source)} is a {document.MediaType}, " +
                "not an image manifest: export the image's digest.");
        // PushArch read this very image back a moment ago, in this run: its platform is known, not claimed.
        if (source is { PlatformVerified: true, Platform: { } verified } && source.Digest == document.Digest)
            return document.ToDescriptor(verified);
        Platform actual;
        try
        {
            actual = (await PlatformReadBack.ReadAsync(client, target.Repository, document, cancellationToken))[0];
        }
        catch (FormatException)
        {
            throw new OciInputException($"Image {document.Digest} from {Describe(source)} has no os/architecture in its config: " +
                "it is not a runnable image.");
        }
        if (source.Platform is { } claimed && claimed != actual)
            throw new OciInputException(
                $"Digest record {Describe(source)} claims {claimed}, but image {document.Digest} is {actual} (from its config): " +
                $"re-run ExportDigest for {claimed}.");
        return document.ToDescriptor(actual);
    }

    private async Task<ManifestDocument> GetAsync(ImageReference target, DigestRecord source, Digest digest,
        CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetManifestAsync(target.Repository, digest.ToString(), cancellationToken);
        }
        catch (OciRegistryException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // A web server that is not a registry answers 404 too: say that, not "push the image again".
            await client.PingAsync(cancellationToken);
            throw new OciInputException(
                $"Digest {digest} from {Describe(source)} does not exist in {target.Name}: " +
                $"push the image for {source.Platform?.ToString() ?? "that platform"} again, then merge.");
        }
    }

    private static List<Child> CheckPlatforms(MergeRequest request, ImageReference target, List<Child> images)
    {
        // The same image listed twice (e.g. two artifacts of one job) is harmless; two different images are not.
        images = images.DistinctBy(c => (c.Descriptor.Platform, c.Descriptor.Digest)).ToList();
        if (images.GroupBy(c => c.Descriptor.Platform!).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
            throw new OciInputException(
                $"Platform {duplicate.Key} appears {duplicate.Count()} times " +
                $"({string.Join(", ", duplicate.Select(c => Describe(c.Source)))}): keep exactly one record per platform.");
        var found = images.Select(c => c.Descriptor.Platform!).ToHashSet();
        var missing = request.Platforms.Where(p => !found.Contains(p)).ToList();
        if (missing.Count > 0)
            throw new OciInputException(
                $"Platform {string.Join(", ", missing)} has no digest record for {target.Name}: run ExportDigest --platform " +
                $"{missing[0]} (or remove it from --platform).");
        if (images.FirstOrDefault(c => !request.Platforms.Contains(c.Descriptor.Platform!)) is { } extra)
            throw new OciInputException(
                $"Platform {extra.Descriptor.Platform} ({Describe(extra.Source)}) " +
                $"is not in --platform ({string.Join(", ", request.Platforms)}): add it there or remove its record.");
        return images.OrderBy(c => c.Descriptor.Platform).ThenBy(c => c.Descriptor.Digest.ToString(), StringComparer.Ordinal).ToList();
    }

    private async Task PushAsync(string repository, ManifestDocument index, IReadOnlyList<string> tags, List<string> pushed,
        List<string> unchanged, CancellationToken cancellationToken)
    {
        // By digest first: once a tag moves, the whole index is already there.
        var existed = await client.HeadManifestAsync(repository, index.Digest.ToString(), cancellationToken) is not null;
        if (!existed) await client.PutManifestAsync(repository, index.Digest.ToString(), index, cancellationToken);
        foreach (var tag in tags)
        {
            // A new index cannot be what a tag points at yet, so only a re-run needs to look.
            if (existed && (await client.HeadManifestAsync(repository, tag, cancellationToken))?.Digest == index.Digest)
            {
                unchanged.Add(tag);
                continue;
            }
            try
            {
                await client.PutManifestAsync(repository, tag, index, cancellationToken);
            }
            catch (OciRegistryException e)
            {
                // Some tags may already point at the new index, the rest where they were: say which, and how to finish.
                var moved = tags.Where(t => pushed.Contains(t) || unchanged.Contains(t)).ToList();
                var notMoved = tags.Except(moved).ToList();
                throw new OciRegistryException(
                    $"{e.Message.TrimEnd('.')}. Tags moved to the new index: " +
                    $"{(moved.Count == 0 ? "none" : string.Join(", ", moved))} ({index.Digest}); " +
                    $"not moved: {string.Join(", ", notMoved)}. Run MergeManifest again with the same inputs: " +
                    "it pushes the same index and moves the rest.",
                    e.StatusCode, e);
            }
            pushed.Add(tag);
        }
    }

    private static string Describe(DigestRecord source) =>
        source.Source is { } path ? $"'{path}'" : $"{source.Digest}{(source.Platform is null ? "" : $" ({source.Platform})")}";
}
