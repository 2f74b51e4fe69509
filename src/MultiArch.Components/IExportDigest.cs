using MultiArch.Build;
using MultiArch.Oci;
using MultiArch.Workflows;

namespace MultiArch.Components;

/// <summary>ExportDigest: writes each pushed platform's digest record, the hand-off to MergeManifest (a CI artifact).</summary>
public interface IExportDigest : IPushArch
{
    /// <summary>The relative folder CI uploads and downloads (under the root).</summary>
    const string DigestsArtifactPath = "artifacts/digests";

    /// <summary>The target.</summary>
    Target ExportDigest => _ => _
        .Description("Writes each pushed platform's digest record into the digests folder (the hand-off to MergeManifest)")
        .DependsOn<IPushArch>()
        .PartitionedBy(ImageAxis, PlatformAxis)
        .Produces(DigestsArtifactPath)
        .Annotate(WorkflowAnnotations.Job, "build")
        .Executes(partition =>
        {
            var (image, platform) = Resolve(partition);
            if (!PipelineContext.Of(Build).Pushed.TryGetValue((image.Name, platform), out var record))
                throw new BuildException($"No pushed digest for {image.Name} {platform}: ExportDigest needs PushArch in "
                    + "the same run (do not --skip it).");
            // A dry run's record would name its throwaway registry, gone when the run ends: a later merge must not read it.
            if (DryRun) Build.Log.Info($"Dry run: would write the digest record of {image.Name} {platform} to "
                + $"{DigestsDirectory / image.Name}: {record.Digest}");
            else
            {
                var file = DigestDirectory.Write(DigestsDirectory / image.Name, record);
                Build.Log.Info($"Wrote {Path.GetRelativePath(Build.RootDirectory, file)}: {record.Digest}");
            }
        });
}
