using MultiArch.Build;
using MultiArch.Docker;
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
            await BuildStageAsync(image.Dockerfile!, ArchReference(image, platform), plan.App, baseTag, baseStage: false);
        });

    /// <summary>
    /// The app stage's settings hook: override it to add a build argument or label, e.g.
    /// <c>Configure&lt;DockerBuildSettings&gt; IBuildApp.BuildAppSettings =&gt; s =&gt; s.BuildArg("APP_ENV", "production");</c>.
    /// It runs last, so it sees (and may change) everything the component set, and the input digest covers it.
    /// </summary>
    Configure<DockerBuildSettings> BuildAppSettings => s => s;

    Configure<DockerBuildSettings> IBuildBase.AppStageSettings => BuildAppSettings;
}
