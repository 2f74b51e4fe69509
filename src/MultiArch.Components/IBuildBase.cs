using MultiArch.Build;
using MultiArch.Docker;
using MultiArch.Workflows;

namespace MultiArch.Components;

/// <summary>BuildBase: builds each image's base stage per platform and tags it locally for BuildApp to start FROM.</summary>
public interface IBuildBase : IMultiArchPipeline
{
    /// <summary>The target.</summary>
    Target BuildBase => _ => _
        .Description("Builds each image's base Dockerfile per platform and tags it locally (skipped when there is none)")
        .PartitionedBy(ImageAxis, PlatformAxis)
        .Annotate(PipelineAnnotations.BuildsImages, "true")
        .Annotate(PipelineAnnotations.BuildsBaseImage, "true")
        .Annotate(WorkflowAnnotations.Job, "build")
        .Executes(async partition =>
        {
            var (image, platform) = Resolve(partition);
            if (image.BaseDockerfile is null) throw new TargetSkippedException($"image '{image.Name}' has no BaseDockerfile");
            var (status, builder) = await PipelineContext.Of(Build).DockerAsync([platform], Build.Cancellation);
            var settings = new DockerBuildSettings { Image = image, Platform = platform };
            foreach (var (name, value) in image.BaseBuildArgs) settings.BuildArg(name, value);
            Build.Graph[nameof(BuildBase)].ApplyConfiguration(settings);

            var tag = BaseTag(image, platform);
            Build.Log.Info($"Building base {tag} with {builder.Name}");
            await builder.BuildAsync(new ImageBuildRequest
            {
                ContextDirectory = image.EffectiveContext,
                Dockerfile = image.BaseDockerfile,
                Platform = platform,
                Tags = [Oci.ImageReference.Parse(tag)],
                BuildArgs = settings.BuildArgs,
                Labels = settings.Labels,
                Target = settings.TargetStage,
                NetworkHost = !status.HasBridgeNetwork,
            }, Build.Log.Write, Build.Cancellation);
            PipelineContext.Of(Build).BaseTags[(image.Name, platform)] = tag;
        });
}
