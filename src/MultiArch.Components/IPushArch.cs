using MultiArch.Build;
using MultiArch.Docker;
using MultiArch.Oci;
using MultiArch.Workflows;

namespace MultiArch.Components;

/// <summary>
/// PushArch: pushes each platform's image under its own tag (<c>1.2.3-arm64</c>), so untagged cleanup can never
/// orphan it, and checks in the registry that what arrived is that platform.
/// </summary>
public partial interface IPushArch : ICleanupBaseTags
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
            var target = ArchReference(image, platform);
            var attestProvenance = AttestsProvenance; // a bad --attest fails before anything is pushed
            var plan = await PlanLaneAsync(image, platform);
            if (plan.Unchanged is { } unchanged)
            {
                await RecordUnchangedAsync(image, platform, target, unchanged);
                throw new TargetSkippedException(LanePlan.SkipReason(ArchTag(platform)));
            }
            var (status, _) = await PipelineContext.Of(Build).DockerAsync([platform], Build.Cancellation);
            // A dry run pushes nothing to the target: the same image goes to a throwaway loopback registry instead,
            // so the merge can still read back what a registry stores and compute the index it would push.
            var reference = target;
            if (DryRun)
            {
                var scratch = await PipelineContext.Of(Build).ScratchRegistryAsync(Build.Cancellation);
                reference = ImageReference.Create(scratch.Host, target.Repository).WithTag(target.Tag!);
                await status.Cli!.TagAsync(target.ToString(), reference.ToString(), Build.Cancellation);
            }
            Digest digest;
            if (PipelineContext.Of(Build).PushedWhileBuilding.TryGetValue((image.Name, platform), out var built))
            {
                // buildx pushed it in BuildApp (--push, digest from --metadata-file): nothing left to send, only to check.
                digest = built;
                Build.Log.Info($"{target}@{digest} was pushed by the build (buildx --push); checking what the registry holds");
            }
            else
            {
                var progress = new PushProgress(Build.Log.Write, plain: Build.IsCI);
                try { digest = await PushWithCredentialsAsync(status.Cli!, reference, progress.OnLine); }
                finally
                {
                    // The throwaway registry's name must not linger in the engine after the run.
                    if (DryRun) await status.Cli!.ExecuteAsync("docker image rm (the dry run's extra tag)", ["image", "rm",
                        reference.ToString()], null, CancellationToken.None);
                }
            }

            var manifest = await VerifyPlatformAsync(reference, digest, platform);
            if (attestProvenance) await AttachProvenanceAsync(image, platform, target, reference, manifest, plan);
            PipelineContext.Of(Build).Pushed[(image.Name, platform)] =
                new DigestRecord(reference.WithoutTagOrDigest(), digest, platform, reference.Tag, manifest.MediaType, manifest.Bytes.Length)
                {
                    PlatformVerified = !manifest.IsIndex, // an image was checked whole; an index's children are the merge's to read
                };
            Build.Log.Info(DryRun
                ? $"Dry run: would push {target}@{digest} ({platform}); checked in the throwaway registry {reference.Registry}, nothing "
                    + $"sent to {target.Registry}"
                : $"Pushed {reference}@{digest} ({platform})");
        });

    /// <summary>How long one docker push, with its login, may take: a registry or credential helper that stops answering must not hold the
    /// leg for ever.</summary>
    [Parameter("Seconds one docker push (with its docker login) may take before it is stopped")]
    int PushTimeoutSeconds => TryGetValue<int?>(() => PushTimeoutSeconds) is { } seconds
        ? seconds > 0 ? seconds : throw new BuildException($"--push-timeout-seconds {seconds}: give a number of seconds above 0, e.g. 600.")
        : (int)DockerCli.DefaultPushTimeout.TotalSeconds;

    /// <summary>
    /// docker push with this run's credentials (--registry-password, MULTIARCH_REGISTRY_PASSWORD or --registry-password-file,
    /// logged in to a private DOCKER_CONFIG), else with the user's docker config; each failure named with its fix.
    /// </summary>
    sealed async Task<Digest> PushWithCredentialsAsync(DockerCli cli, ImageReference reference, Action<string> progress)
    {
        var credentials = PushCredentials(reference);
        var timeout = TimeSpan.FromSeconds(PushTimeoutSeconds);
        try { return await cli.PushAsync(reference, credentials, timeout, progress, Build.Cancellation); }
        catch (DockerCommandException e) when (PushFix(e.Kind, reference.Registry, credentials is not null) is { } fix)
        {
            throw new BuildException($"{e.Message.TrimEnd('.')}. {fix}");
        }
    }

    /// <summary>This run's login for a push to <paramref name="reference"/>, or null to let docker use its own config.</summary>
    sealed RegistryCredentials? PushCredentials(ImageReference reference) =>
        // The dry run's throwaway registry is open, and is never sent the target's password.
        reference.Registry != PipelineContext.Of(Build).ScratchHost && RegistryPassword is { Length: > 0 } password
            ? new RegistryCredentials(RegistryUsername is { Length: > 0 } user ? user : "token", password) : null;

    /// <summary>What to do about a failed push, in terms of this build's options; null when docker's line says enough.</summary>
    static string? PushFix(DockerFailure kind, string registry, bool withCredentials) => kind switch
    {
        DockerFailure.TimedOut => $"Check that {registry} answers (and any credential helper in the docker config), or allow more time "
            + "with --push-timeout-seconds.",
        DockerFailure.CredentialsRejected when withCredentials =>
            $"Credentials rejected by {registry}: check --registry-username and the password (MULTIARCH_REGISTRY_PASSWORD or "
                + "--registry-password-file).",
        DockerFailure.CredentialsRejected or DockerFailure.CredentialsMissing =>
            $"Credentials rejected by {registry} (none were given, so docker used its own config): pass --registry-username and "
                + $"MULTIARCH_REGISTRY_PASSWORD (or --registry-password-file), or run docker login {registry}.",
        // GHCR: pushing takes a token with write:packages (GITHUB_TOKEN with 'packages: write' in Actions), see
        // https://docs.github.com/en/packages/working-with-a-github-packages-registry/working-with-the-container-registry
        DockerFailure.AccessDenied =>
            $"{registry} accepted the credentials but refused the push: the account needs write access to the repository (on ghcr.io, a "
                + "token with write:packages).",
        _ => null,
    };

    /// <summary>
    /// Puts the image already under the per-arch tag into the digest record, as a push of it would have: ExportDigest
    /// and MergeManifest then run exactly as after a rebuild. A dry run copies it (manifest and blobs, read from the
    /// target, written only to the throwaway registry), so the merge computes its index where the rebuilt lanes are.
    /// </summary>
    sealed async Task RecordUnchangedAsync(ImageDefinition image, Platform platform, ImageReference target, ManifestDocument manifest)
    {
        var reference = target;
        if (DryRun)
        {
            var scratch = await PipelineContext.Of(Build).ScratchRegistryAsync(Build.Cancellation);
            reference = ImageReference.Create(scratch.Host, target.Repository).WithTag(target.Tag!);
            var from = RegistryClientFor(target.Registry);
            var to = RegistryClientFor(scratch.Host);
            var parts = manifest.AsImage();
            foreach (var blob in parts.Layers.Prepend(parts.Config))
                if (!await to.BlobExistsAsync(reference.Repository, blob.Digest, Build.Cancellation))
                    await to.PushBlobAsync(reference.Repository, await from.GetBlobAsync(target.Repository, blob.Digest,
                        Build.Cancellation), blob.MediaType, cancellationToken: Build.Cancellation);
            await to.PutManifestAsync(reference.Repository, reference.Tag!, manifest, Build.Cancellation);
        }
        PipelineContext.Of(Build).Pushed[(image.Name, platform)] =
            new DigestRecord(reference.WithoutTagOrDigest(), manifest.Digest, platform, reference.Tag, manifest.MediaType,
                manifest.Bytes.Length);
        Build.Log.Info(DryRun
            ? $"Dry run: {target}@{manifest.Digest} ({platform}) is unchanged: nothing to push; copied to the throwaway registry "
                + $"{reference.Registry} for the merge"
            : $"Unchanged: {target}@{manifest.Digest} ({platform}) already holds this build's inputs; nothing pushed");
    }

    /// <summary>Reads back what the registry stored and fails unless it is (or, as an index, contains) <paramref
    /// name="platform"/>.</summary>
    sealed async Task<ManifestDocument> VerifyPlatformAsync(ImageReference reference, Digest digest, Platform platform)
    {
        var client = RegistryClientFor(reference.Registry);
        var manifest = await client.GetManifestAsync(reference.Repository, digest.ToString(), Build.Cancellation);
        var found = await PlatformReadBack.ReadAsync(client, reference.Repository, manifest, Build.Cancellation);
        if (!found.Contains(platform))
            throw new BuildException($"{reference}@{digest} is {string.Join(", ", found)}, not {platform}: the build ignored --platform. "
                + "Check the Dockerfile's FROM lines for a fixed --platform.");
        return manifest;
    }
}
