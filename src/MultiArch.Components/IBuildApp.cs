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
            if (image.Dockerfile is null)
                throw new BuildException($"Image '{image.Name}' has no Dockerfile. Set Dockerfile = RootDirectory / \"path\" / \"Dockerfile\" in its ImageDefinition.");
            var context = PipelineContext.Of(Build);
            var settings = new DockerBuildSettings { Image = image, Platform = platform };
            foreach (var (name, value) in image.BuildArgs) settings.BuildArg(name, value);
            var baseTag = context.BaseTags.GetValueOrDefault((image.Name, platform));
            if (baseTag is not null) settings.BuildArg(image.BaseTagArgument, baseTag);
            foreach (var (name, value) in OciLabels.For(image, Version, context.Git(Build))) settings.Label(name, value);
            foreach (var (name, value) in image.Labels) settings.Label(name, value);
            await BuildStageAsync(nameof(BuildApp), image.Dockerfile, ArchReference(image, platform), settings, baseTag);
        });
}
