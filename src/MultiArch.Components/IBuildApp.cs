using MultiArch.Build;
using MultiArch.Workflows;

namespace MultiArch.Components;

/// <summary>BuildApp: builds the app Dockerfile per platform, FROM the base built a moment earlier, with OCI labels.</summary>
public interface IBuildApp : IBuildBase
{
    /// <summary>The target.</summary>
    Target BuildApp => _ => _
        .Description("Builds each image's app Dockerfile per platform, FROM its base, with org.opencontainers.image labels")
        .DependsOn<IBuildBase>()
        .PartitionedBy(ImageAxis, PlatformAxis)
        .Annotate(PipelineAnnotations.BuildsImages, "true")
        .Annotate(WorkflowAnnotations.Job, "build")
        .Executes(async partition =>
        {
            var (image, platform) = Resolve(partition);
            var plan = await PlanLaneAsync(image, platform);
            if (plan.Unchanged is not null) throw new TargetSkippedException(LanePlan.SkipReason(ArchTag(platform)));
            var baseTag = PipelineContext.Of(Build).BaseTags.GetValueOrDefault((image.Name, platform));
            var target = ArchReference(image, platform);
            // With buildx, the app stage is built and pushed in one step when this run pushes it (PushArch planned, not a
            // dry run, whose push goes elsewhere): PushArch then checks and records that digest instead of running docker push.
            var push = Build is IPushArch pushArch && !DryRun && Build.Planned.Any(t => t.Name == nameof(IPushArch.PushArch))
                ? () => (pushArch.PushCredentials(target), TimeSpan.FromSeconds(pushArch.PushTimeoutSeconds))
                : (Func<(Oci.RegistryCredentials?, TimeSpan)>?)null;
            if (await BuildStageAsync(image.Dockerfile!, target, plan.App, baseTag, baseStage: false, push) is { } pushed)
                PipelineContext.Of(Build).PushedWhileBuilding[(image.Name, platform)] = pushed;
        });

    /// <summary>
    /// The app stage's settings hook: override it to add a build argument or label, e.g.
    /// <c>Configure&lt;DockerBuildSettings&gt; IBuildApp.BuildAppSettings =&gt; s =&gt; s.BuildArg("APP_ENV", "production");</c>.
    /// It runs last, so it sees (and may change) everything the component set, and the input digest covers it.
    /// </summary>
    Configure<DockerBuildSettings> BuildAppSettings => s => s;

    Configure<DockerBuildSettings> IBuildBase.AppStageSettings => BuildAppSettings;
}
