using MultiArch.Build;
using MultiArch.Oci;
using MultiArch.Oci.Mirroring;
using MultiArch.Workflows;

namespace MultiArch.Components;

/// <summary>
/// MergeManifest: merges the per-platform digests into one OCI image index and pushes it with the final tags.
/// Only manifests move, never layers. A tag never points at an index without every platform its image declares,
/// floating tags (latest, 1, 1.2) only move forward, and each image merges in a lane of its own: one failing stops no other.
/// </summary>
public interface IMergeManifest : IExportDigest
{
    /// <summary>Keep BuildKit attestation manifests of sources that are indexes.</summary>
    [Parameter("Keep attestation manifests (SBOM, provenance) found in per-platform indexes")]
    bool KeepAttestations => TryGetValue<bool?>(() => KeepAttestations) ?? false;

    /// <summary>Push an index that lacks some declared platforms, under a tag that cannot pass for a release.</summary>
    [Parameter("When --platform leaves out some of an image's platforms, push the index anyway, tagged only <version>-partial-<arches> "
        + "(never the version, latest or sha-)")]
    bool Partial => TryGetValue<bool?>(() => Partial) ?? false;

    /// <summary>Move latest, major and major.minor even to an older release.</summary>
    [Parameter("Move latest, 1 and 1.2 even when the registry holds a newer release (they move only forward otherwise)")]
    bool ForceFloatingTags => TryGetValue<bool?>(() => ForceFloatingTags) ?? false;

    /// <summary>The target.</summary>
    Target MergeManifest => _ => _
        .Description("Merges the per-platform digests into one multi-arch index and pushes it with the final tags")
        .DependsOn<IExportDigest>()
        .Consumes(DigestsArtifactPath)
        .Annotate(PipelineAnnotations.UsesRegistry, "true")
        .Annotate(PipelineAnnotations.MirrorsIndex, "true")
        .Annotate(WorkflowAnnotations.Publishes, "true")
        .Annotate(WorkflowAnnotations.Job, "merge")
        // One lane per image, locally and as a CI matrix leg (fail-fast off): one image failing stops no other.
        .PartitionedBy(ImageAxis)
        .Executes(async partition =>
        {
            var image = SelectedImages.First(i => i.Name == partition[ImageAxis]);
            try { await MergeAsync(image); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Build.AddSummary($"{image.Name}: not published: {e.Message.Split('\n')[0]}");
                throw;
            }
        });

    /// <summary>
    /// Null when this run may publish <paramref name="image"/>'s release tags: it has every declared platform, or
    /// --partial asks for a partial index. Else one line naming what is missing and both ways on. Preflight asks it
    /// too, so a narrowed run stops before building anything.
    /// </summary>
    sealed string? PartialProblem(ImageDefinition image)
    {
        var platforms = PlatformsOf(image);
        var missing = DeclaredPlatforms(image).Except(platforms).ToList();
        return missing.Count == 0 || platforms.Count == 0 || Partial ? null
            : $"{image.Name}: --platform leaves out {string.Join(", ", missing)}, and a tag never points at an index without every "
                + "platform the image declares. " +
              $"Drop --platform to publish all {DeclaredPlatforms(image).Count}, run ExportDigest instead of MergeManifest (what a CI leg "
                  + $"runs), or pass --partial to push this index tagged only {Naming.PartialTag(platforms)}.";
    }

    /// <summary>Merges one image and reports the published reference.</summary>
    sealed async Task MergeAsync(ImageDefinition image)
    {
        var platforms = PlatformsOf(image);
        if (platforms.Count == 0)
        {
            Build.AddSummary($"{image.Name}: not merged: --platform selects none of its platforms "
                + $"({string.Join(", ", DeclaredPlatforms(image))})");
            return;
        }
        if (PartialProblem(image) is { } problem) throw new BuildException(problem);
        var missing = DeclaredPlatforms(image).Except(platforms).ToList();

        var target = RepositoryOf(image);
        var folder = DigestsDirectory / image.Name;
        // When this run pushed the platforms itself, merge exactly those: leftovers of earlier local runs in the folder
        // (another --platform set, another version) must not change what this run publishes. CI's merge job (--skip)
        // pushed nothing, so it reads the folder the legs' artifacts filled.
        var pushed = PipelineContext.Of(Build).Pushed.Where(p => p.Key.Image == image.Name).Select(p => p.Value)
            .OrderBy(r => r.Platform).ToList();
        var sources = pushed.Count > 0 ? pushed : DigestDirectory.Read(folder.DirectoryExists() || SelectedImages.Count > 1 ? folder
            : DigestsDirectory);
        // A record left in the folder by a run of another version would slip that version's image into this index.
        if (Naming.StaleRecord(sources) is { } stale)
            throw new BuildException($"Digest record '{stale.Source}' is for {stale.Tag}, not version {Version}: delete it and run "
                + "ExportDigest for this version, or give MergeManifest the legs' --version.");
        // A dry run's per-arch images are in its throwaway registry: the index is computed there, and only read from the target.
        var source = DryRun && pushed.Count > 0 ? pushed[0].Repository! : target;

        var git = PipelineContext.Of(Build).Git(Build);
        var tags = missing.Count > 0 ? [Naming.PartialTag(platforms)] : await TagsToMoveAsync(target);
        var request = new MergeRequest(source, platforms, sources)
        {
            Tags = tags,
            Annotations = OciLabels.For(image, Version, git),
            KeepAttestations = KeepAttestations,
            DryRun = DryRun,
        };
        var result = await new ManifestMerger(RegistryClientFor(source.Registry)).MergeAsync(request, Build.Cancellation);

        var published = target.WithTag(tags[0]).WithDigest(result.Digest);
        if (result.DryRun)
            Build.Log.Info($"Dry run: would push this index to {target} with tags {string.Join(", ", tags)}:\n{result.IndexJson}");
        // Each digest named with its image: with several images, a bare list of digests says nothing.
        foreach (var platform in result.Platforms) Build.Log.Info($"  {image.Name} {platform.Platform,-14} {target}@{platform.Digest}");
        Build.AddSummary($"{published}  ({string.Join(", ", result.Platforms.Select(p => p.Platform))})"
            + (result.DryRun ? "  [dry run: nothing pushed]" : "")
            + (missing.Count > 0 ? $"  [partial: without {string.Join(", ", missing)}]" : ""));
        if (tags.Count > 1) Build.AddSummary($"also tagged {string.Join(", ", tags.Skip(1))}");
        // Named, not counted: a re-run of the same version should say which tags it left alone.
        if (result.TagsUnchanged.Count > 0)
            Build.AddSummary($"unchanged (already pointed at this index): {string.Join(", ", result.TagsUnchanged)}");
        await MirrorAsync(image, target, result, tags);
    }

    /// <summary>
    /// Publishes the merged index to the other --registries: the same bytes and digest, blobs mounted or streamed once,
    /// tags last. One line per registry in the summary; a failed mirror keeps no tag on anything incomplete, the rest
    /// still publish, and the target fails afterwards naming it.
    /// </summary>
    sealed async Task MirrorAsync(ImageDefinition image, ImageReference target, MergeResult result, IReadOnlyList<string> tags)
    {
        var mirrors = Naming.MirrorsOf(image);
        if (mirrors.Count == 0) return;
        if (result.DryRun)
        {
            Build.AddSummary($"  dry run: would mirror {result.Digest} to {string.Join(", ", mirrors)}");
            return;
        }
        var source = RegistryClientFor(target.Registry);
        var targets = mirrors.Select(m => new MirrorTarget(MirrorClientFor(m.Registry, target.Registry), m.Repository)).ToList();
        var outcomes = await new RegistryMirror(source, target.Repository).MirrorAsync(result.Digest, targets, tags, Build.Cancellation);
        foreach (var outcome in outcomes) Build.AddSummary($"  mirror {outcome}");
        var failed = outcomes.Where(o => !o.Succeeded).ToList();
        if (failed.Count > 0)
            throw new BuildException($"{image.Name}: published to {target} and {outcomes.Count - failed.Count} of {outcomes.Count} "
                + $"mirrors; not to {string.Join("; ", failed.Select(f => $"{f.Target} ({f.Error})"))}. "
                + "Fix that registry's login and run MergeManifest again (what is there is skipped).");
    }

    /// <summary>
    /// The version's tags, less the floating ones a newer published release holds: releasing 1.4.1 after 1.6.0 moves
    /// 1.4 but leaves latest and 1 where they are, with one line saying why. Reading the tags needs only pull access.
    /// </summary>
    sealed async Task<IReadOnlyList<string>> TagsToMoveAsync(ImageReference target)
    {
        var tags = IndexTagList;
        // An untagged index would be CleanupUntagged's to delete: refuse it rather than push it.
        if (tags.Count == 0)
            throw new BuildException($"{target}: no tag rule applies to this run ({Describe(TagContext)}): add one that does, e.g. "
                + "TagRule.Sha() or TagRule.Raw(\"edge\"), or --extra-tags.");
        if (!Version.IsRelease || ForceFloatingTags) return tags;
        var published = await RegistryClientFor(target.Registry).ListTagsAsync(target.Repository, cancellationToken: Build.Cancellation);
        var held = TagRules.HeldBack(Version, published);
        foreach (var (tag, newer) in held)
            Build.Log.Info($"{target}:{tag} stays: the registry holds {newer}, newer than {Version} "
                + "(--force-floating-tags moves it anyway)");
        if (held.Count > 0)
            Build.AddSummary($"left alone (a newer release holds them): {string.Join(", ", held.Select(h => $"{h.Tag} ({h.Newer})"))}");
        return tags.Except(held.Select(h => h.Tag)).ToList();
    }

    // For the message when no rule applies: what the rules saw.
    static string Describe(Oci.Tagging.TagContext context) =>
        $"event {context.Event}, ref " + context.Ref switch
        {
            Oci.Tagging.GitRef.Branch b => "branch " + b.Name,
            Oci.Tagging.GitRef.Tag t => "tag " + t.Name,
            Oci.Tagging.GitRef.PullRequest p => $"pull request {p.Number}",
            _ => "unknown",
        };
}
