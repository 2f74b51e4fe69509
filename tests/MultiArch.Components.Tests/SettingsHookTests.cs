using MultiArch.Build;
using MultiArch.Oci;

namespace MultiArch.Components.Tests;

// A build changes what a stage passes to Docker by overriding the component's settings hook, not its target: the
// component applies the hook last, over its own arguments and labels.
[Trait("Category", "Unit")]
public sealed class SettingsHookTests
{
    sealed class HookedBuild : TargetBuild, IMultiArchImage
    {
        public ImageDefinition Image => new("acme/app")
        {
            Dockerfile = RepositoryRoot.HelloExample / "Dockerfile",
            BaseDockerfile = RepositoryRoot.HelloExample / "Dockerfile.base",
            BuildArgs = new Dictionary<string, string> { ["APP_ENV"] = "dev" },
            BaseBuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = "busybox" },
        };

        Configure<DockerBuildSettings> IBuildApp.BuildAppSettings
            => s => s.BuildArg("APP_ENV", "production").Label("com.acme.team", "platform");
        Configure<DockerBuildSettings> IBuildBase.BuildBaseSettings => s => s.BuildArg("GO_VERSION", "1.22");
    }

    sealed class PlainBuild : TargetBuild, IMultiArchImage
    {
        public ImageDefinition Image => new("acme/app") { Dockerfile = RepositoryRoot.HelloExample / "Dockerfile" };
    }

    static readonly GitInfo NoGit = new(null, null, null, null);

    [Fact]
    public void The_base_stage_is_labelled_with_the_source_when_git_knows_it()
    {
        IBuildBase build = new PlainBuild();
        build.BaseSettings(build.Image, Platform.LinuxAmd64, NoGit with { SourceUrl = "https://github.com/acme/app" }).Labels
            .Should().Equal(new Dictionary<string, string> { ["org.opencontainers.image.source"] = "https://github.com/acme/app" });
        build.BaseSettings(build.Image, Platform.LinuxAmd64, NoGit).Labels.Should().BeEmpty();
    }

    [Fact]
    public void The_app_hook_replaces_an_argument_the_image_set_and_adds_a_label()
    {
        IBuildApp build = new HookedBuild();
        var settings = new DockerBuildSettings { Image = build.Image, Platform = Platform.LinuxArm64 }.BuildArg("APP_ENV", "dev");
        settings = build.BuildAppSettings(settings);
        settings.BuildArgs.Should().Equal(new Dictionary<string, string> { ["APP_ENV"] = "production" });
        settings.Labels.Should().Contain("com.acme.team", "platform");
    }

    [Fact]
    public void The_base_hook_runs_last_over_the_image_s_base_arguments()
    {
        IBuildBase build = new HookedBuild();
        build.BaseSettings(build.Image, Platform.LinuxArm64, NoGit).BuildArgs.Should()
            .Equal(new Dictionary<string, string> { ["BASE_IMAGE"] = "busybox", ["GO_VERSION"] = "1.22" });
    }

    [Fact]
    public void Without_an_override_the_settings_are_the_image_s_own()
    {
        IBuildBase build = new PlainBuild();
        build.BaseSettings(build.Image with { BaseBuildArgs = new Dictionary<string, string> { ["A"] = "1" } }, Platform.LinuxAmd64, NoGit)
            .BuildArgs.Should().Equal(new Dictionary<string, string> { ["A"] = "1" });
        ((IBuildApp)build).BuildAppSettings(new DockerBuildSettings { Image = build.Image, Platform = Platform.LinuxAmd64 })
            .BuildArgs.Should().BeEmpty();
    }
}
