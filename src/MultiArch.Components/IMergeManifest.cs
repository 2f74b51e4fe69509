using MultiArch.Build;
using MultiArch.Oci;
using MultiArch.Workflows;

namespace MultiArch.Components;

/// <summary>
/// MergeManifest: merges the per-platform digests into one OCI image index and pushes it with the final tags.
/// Only manifests move, never layers; nothing is pushed unless every expected platform is present exactly once.
/// </summary>
public interface IMergeManifest : IExportDigest
{
    /// <summary>Keep BuildKit attestation manifests of sources that are indexes.</summary>
    [Parameter("Keep attestation manifests (SBOM, provenance) found in per-platform indexes")]
    bool KeepAttestations => TryGetValue<bool?>(() => KeepAttestations) ?? false;

    /// <summary>The target.</summary>
    Target MergeManifest => _ => _
        .Description("Merges the per-platform digests into one multi-arch index and pushes it with the final tags")
        .DependsOn<IExportDigest>()
        .Consumes(DigestsArtifactPath)
        .Annotate(PipelineAnnotations.UsesRegistry, "true")
        .Annotate(WorkflowAnnotations.Publishes, "true")
        .Annotate(WorkflowAnnotations.Job, "merge")
        .Executes(async () =>
        {
            foreach (var image in SelectedImages) await MergeAsync(image);
        });

    /// <summary>Merges one image and reports the published reference.</summary>
    async Task MergeAsync(ImageDefinition image)
    {
        var repository = RepositoryOf(image);
        var folder = DigestsDirectory / image.Name;
        // When this run pushed the platforms itself, merge exactly those: leftovers of earlier local runs in the folder
        // (another --platform set, another version) must not change what this run publishes. CI's merge job (--skip)
        // pushed nothing, so it reads the folder the legs' artifacts filled.
        var pushed = PipelineContext.Of(Build).Pushed.Where(p => p.Key.Image == image.Name).Select(p => p.Value).OrderBy(r => r.Platform).ToList();
        var sources = pushed.Count > 0 ? pushed : DigestDirectory.Read(folder.DirectoryExists() || SelectedImages.Count > 1 ? folder : DigestsDirectory);
        // A record left in the folder by a run of another version would slip that version's image into this index.
        if (sources.FirstOrDefault(s => s.Tag is { } tag && s.Platform is { } p && tag != $"{Version}-{p.Pair}") is { } stale)
            throw new BuildException($"Digest record '{stale.Source}' is for {stale.Tag}, not version {Version}: delete it and run ExportDigest for this version, or give MergeManifest the legs' --version.");
        var platforms = PlatformsOf(image);
        var git = PipelineContext.Of(Build).Git(Build);
        var request = new MergeRequest(repository, platforms, sources)
        {
            Tags = TagRules.For(Version, git.Revision, ExtraTags),
            Annotations = OciLabels.For(image, Version, git),
            KeepAttestations = KeepAttestations,
            DryRun = DryRun,
        };
        var result = await new ManifestMerger(RegistryClientFor(repository.Registry)).MergeAsync(request, Build.Cancellation);

        if (result.DryRun) Build.Log.Info($"Dry run: would push this index to {repository} with tags {string.Join(", ", request.Tags)}:\n{result.IndexJson}");
        foreach (var platform in result.Platforms) Build.Log.Info($"  {platform.Platform,-14} {platform.Digest}");
        Build.AddSummary($"{result.Reference}  ({string.Join(", ", result.Platforms.Select(p => p.Platform))}){(result.DryRun ? "  [dry run: nothing pushed]" : "")}");
        if (request.Tags.Count > 1) Build.AddSummary($"also tagged {string.Join(", ", request.Tags.Skip(1))}");
        // Named, not counted: a re-run of the same version should say which tags it left alone.
        if (result.TagsUnchanged.Count > 0) Build.AddSummary($"unchanged (already pointed at this index): {string.Join(", ", result.TagsUnchanged)}");
    }
}
