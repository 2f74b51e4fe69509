using MultiArch.Build;
using MultiArch.Docker;
using MultiArch.Workflows;

namespace MultiArch.Components;

/// <summary>BuildBase: builds each image's base stage per platform and tags it locally for BuildApp to start FROM.</summary>
public partial interface IBuildBase : IPreflight, IPrepare
{
    /// <summary>The target.</summary>
    Target BuildBase => _ => _
        .Description("Builds each image's base Dockerfile per platform and tags it locally (skipped when there is none)")
        .DependsOn<IPreflight>(x => x.Preflight)
        .DependsOn<IPrepare>(x => x.Prepare)
        .PartitionedBy(ImageAxis, PlatformAxis)
        .Annotate(PipelineAnnotations.BuildsImages, "true")
        .Annotate(PipelineAnnotations.BuildsBaseImage, "true")
        .Annotate(WorkflowAnnotations.Job, "build")
        .Executes(async partition =>
        {
            var (image, platform) = Resolve(partition);
            if (image.BaseDockerfile is null) throw new TargetSkippedException($"image '{image.Name}' has no BaseDockerfile");
            var plan = await PlanLaneAsync(image, platform);
            if (plan.Unchanged is not null) throw new TargetSkippedException(LanePlan.SkipReason(ArchTag(platform)));
            var tag = BaseTag(image, platform);
            await BuildStageAsync(image.BaseDockerfile, Oci.ImageReference.Parse(tag), plan.Base!, localBase: null, baseStage: true);
            PipelineContext.Of(Build).BaseTags[(image.Name, platform)] = tag;
        });

    /// <summary>
    /// Builds one stage for one platform with settings the lane's plan made: the stage's settings hook
    /// (BuildBaseSettings, BuildAppSettings) ran last there, so an override sees (and may change) everything the
    /// component set, and the input digest covers what it changed.
    /// </summary>
    /// <param name="dockerfile">The stage's Dockerfile.</param>
    /// <param name="tag">The reference the built image gets.</param>
    /// <param name="settings">The lane plan's settings for this stage.</param>
    /// <param name="localBase">The base stage's local image to build FROM, or null.</param>
    /// <param name="baseStage">True for the base stage, false for the app stage.</param>
    /// <param name="push">The login to push with when the builder pushes while building (buildx), or null to build only;
    /// the classic builder never pushes here (PushArch runs docker push after it).</param>
    /// <returns>The digest the registry stored when the build pushed, else null.</returns>
    sealed async Task<Oci.Digest?> BuildStageAsync(AbsolutePath dockerfile, Oci.ImageReference tag, DockerBuildSettings settings,
        string? localBase, bool baseStage,
        Func<(Oci.RegistryCredentials? Credentials, TimeSpan Timeout)>? push = null)
    {
        var (_, builder) = await PipelineContext.Of(Build).DockerAsync([settings.Platform], Build.Cancellation);
        (Oci.RegistryCredentials? Credentials, TimeSpan Timeout)? login = push is not null && builder.PushesWhileBuilding ? push() : null;
        Build.Log.Info($"Building {(login is null ? "" : "and pushing ")}{tag} with {builder.Name}"
            + (localBase is null ? "" : $" FROM {localBase}"));
        var (cacheFrom, cacheTo) = LayerCaches(settings.Image, settings.Platform, baseStage, builder);
        var result = await builder.BuildAsync(new ImageBuildRequest
        {
            ContextDirectory = settings.Image.EffectiveContext,
            Dockerfile = dockerfile,
            Platform = settings.Platform,
            Tags = [tag],
            BuildArgs = settings.BuildArgs,
            Labels = settings.Labels,
            Target = settings.TargetStage,
            LocalBaseImage = localBase,
            CacheFrom = cacheFrom,
            CacheTo = cacheTo,
            Push = login is not null,
            PushCredentials = login?.Credentials,
            LoginTimeout = login?.Timeout ?? DockerCli.DefaultPushTimeout,
        }, Build.Log.Write, Build.Cancellation);
        return result.PushedDigest;
    }
}
