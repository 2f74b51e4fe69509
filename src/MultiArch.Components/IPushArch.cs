using MultiArch.Build;
using MultiArch.Oci;
using MultiArch.Workflows;

namespace MultiArch.Components;

/// <summary>
/// PushArch: pushes each platform's image under its own tag (<c>1.2.3-arm64</c>), so untagged cleanup can never
/// orphan it, and checks in the registry that what arrived is that platform.
/// </summary>
public interface IPushArch : IBuildApp
{
    /// <summary>The target.</summary>
    Target PushArch => _ => _
        .Description("Pushes each platform's image as <version>-<arch> and checks the registry holds that platform")
        .DependsOn<IBuildApp>()
        .PartitionedBy(ImageAxis, PlatformAxis)
        .Annotate(PipelineAnnotations.UsesRegistry, "true")
        .Annotate(WorkflowAnnotations.Publishes, "true")
        .Annotate(WorkflowAnnotations.Job, "build")
        .Executes(async partition =>
        {
            var (image, platform) = Resolve(partition);
            await EnsureRegistryAsync(image);
            var (status, _) = await PipelineContext.Of(Build).DockerAsync([platform], Build.Cancellation);
            var reference = ArchReference(image, platform);
            var progress = new PushProgress(Build.Log.Write, plain: Build.IsCI);
            var digest = await status.Cli!.PushAsync(reference, progress.OnLine, Build.Cancellation);

            var manifest = await VerifyPlatformAsync(reference, digest, platform);
            PipelineContext.Of(Build).Pushed[(image.Name, platform)] =
                new DigestRecord(reference.Name, digest, platform, reference.Tag, manifest.MediaType, manifest.Bytes.Length);
            Build.Log.Info($"Pushed {reference}@{digest} ({platform})");
        });

    /// <summary>Reads back what the registry stored and fails unless it is (or, as an index, contains) <paramref name="platform"/>.</summary>
    async Task<ManifestDocument> VerifyPlatformAsync(ImageReference reference, Digest digest, Platform platform)
    {
        var client = RegistryClientFor(reference.Registry);
        var manifest = await client.GetManifestAsync(reference.Repository, digest.ToString(), Build.Cancellation);
        var found = manifest.IsIndex
            ? manifest.AsIndex().Manifests.Where(m => m.Platform is { IsUnknown: false }).Select(m => m.Platform!).ToList()
            : [ImageConfig.ReadPlatform((await client.GetBlobAsync(reference.Repository, manifest.AsImage().Config.Digest, Build.Cancellation)).AsSpan())];
        if (!found.Contains(platform))
            throw new BuildException($"{reference}@{digest} is {string.Join(", ", found)}, not {platform}: the build ignored --platform. Check the Dockerfile's FROM lines for a fixed --platform.");
        return manifest;
    }
}
