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
            var target = ArchReference(image, platform);
            // A dry run pushes nothing to the target: the same image goes to a throwaway loopback registry instead,
            // so the merge can still read back what a registry stores and compute the index it would push.
            var reference = target;
            if (DryRun)
            {
                var scratch = await PipelineContext.Of(Build).ScratchRegistryAsync(Build.Cancellation);
                reference = ImageReference.Create(scratch.Host, target.Repository).WithTag(target.Tag!);
                await status.Cli!.TagAsync(target.ToString(), reference.ToString(), Build.Cancellation);
            }
            var progress = new PushProgress(Build.Log.Write, plain: Build.IsCI);
            Digest digest;
            try { digest = await status.Cli!.PushAsync(reference, progress.OnLine, Build.Cancellation); }
            finally
            {
                // The throwaway registry's name must not linger in the engine after the run.
                if (DryRun) await status.Cli!.ExecuteAsync("docker image rm (the dry run's extra tag)", ["image", "rm", reference.ToString()], null, CancellationToken.None);
            }

            var manifest = await VerifyPlatformAsync(reference, digest, platform);
            PipelineContext.Of(Build).Pushed[(image.Name, platform)] =
                new DigestRecord(reference.Name, digest, platform, reference.Tag, manifest.MediaType, manifest.Bytes.Length);
            Build.Log.Info(DryRun
                ? $"Dry run: would push {target}@{digest} ({platform}); checked in the throwaway registry {reference.Registry}, nothing sent to {target.Registry}"
                : $"Pushed {reference}@{digest} ({platform})");
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
