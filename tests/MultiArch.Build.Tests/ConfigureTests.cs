using MultiArch.Build.Tests.Support;

namespace MultiArch.Build.Tests;

// A component's settings are a Configure<T> property it applies itself: a build overrides the property, never the
// target, and the target it inherits stays whole.
[Trait("Category", "Unit")]
public sealed class ConfigureTests : EngineTest
{
    sealed class DockerSettings
    {
        public string? Builder { get; set; }
        public List<string> Arguments { get; } = [];
    }

    interface IImage : IBuild
    {
        Configure<DockerSettings> ImageSettings => s => s;

        Target Image => _ => _.Executes(() =>
        {
            var settings = ImageSettings(new DockerSettings { Builder = "default" });
            Journal.Record($"builder={settings.Builder} args={string.Join(" ", settings.Arguments)}");
        });
    }

    sealed class DefaultBuild : TargetBuild, IImage;

    sealed class ConfiguredBuild : TargetBuild, IImage
    {
        Configure<DockerSettings> IImage.ImageSettings => s => { s.Builder = "buildx"; s.Arguments.Add("--pull"); return s; };
    }

    [Fact]
    public void Without_an_override_the_component_builds_with_its_own_settings()
    {
        var result = Run<DefaultBuild>("Image");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Ran.Should().Equal("builder=default args=");
    }

    [Fact]
    public void An_overridden_settings_hook_changes_what_the_component_builds_with_and_no_target_is_overridden()
    {
        var result = Run<ConfiguredBuild>("Image");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Ran.Should().Equal("builder=buildx args=--pull");
    }
}

/// <summary>Issue 16: extensions hear of each run and of the end.</summary>
[Trait("Category", "Unit")]
public sealed class LifecycleHookTests : EngineTest
{
    sealed class RecordingAttribute : BuildExtensionAttribute
    {
        public override void OnTargetFinished(TargetBuild build, TargetRun run) => Journal.Record($"finished {run.Title} {run.Status}");
        public override void OnBuildFinished(TargetBuild build, IReadOnlyList<TargetRun> runs)
            => Journal.Record($"build finished with {runs.Count} runs");
    }

    [Recording]
    sealed class HookedBuild : TargetBuild
    {
        Target Compile => _ => _.Executes(() => Journal.Record("Compile"));
        Target Broken => _ => _.DependsOn(Compile).Executes(() => throw new InvalidOperationException("no"));
        Target Publish => _ => _.DependsOn(Broken).Executes(() => { });
    }

    [Fact]
    public void Extensions_hear_every_run_with_its_final_status_then_the_end_of_the_build()
    {
        var result = Run<HookedBuild>("Publish");

        result.ExitCode.Should().Be(1);
        result.Ran.Should().Equal(
            "Compile", "finished Compile Succeeded", "finished Broken Failed", "finished Publish NotRun", "build finished with 3 runs");
    }
}
