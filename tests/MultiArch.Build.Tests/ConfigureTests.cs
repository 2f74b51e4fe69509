using MultiArch.Build.Tests.Support;

namespace MultiArch.Build.Tests;

[Trait("Category", "Unit")]
public sealed class ConfigureTests : EngineTest
{
    class ToolSettings
    {
        public List<string> Arguments { get; } = [];
    }

    sealed class DockerSettings : ToolSettings
    {
        public string? Builder { get; set; }
    }

    interface IImage : IBuild
    {
        // The component builds its settings and lets the build's hooks adjust them before use.
        Target Image => _ => _.Executes(() =>
        {
            var settings = Build.Graph["Image"].ApplyConfiguration(new DockerSettings { Builder = "default" });
            Journal.Record($"builder={settings.Builder} args={string.Join(" ", settings.Arguments)}");
        });
    }

    sealed class ConfiguredBuild : TargetBuild, IImage
    {
        Target IImage.Image => _ => _
            .Inherit<IImage>()
            .Configure<DockerSettings>(s => s.Builder = "buildx")
            .Configure<ToolSettings>(s => s.Arguments.Add("--pull"))
            .Configure<DockerSettings>(s => s.Arguments.Add("--no-cache"));
    }

    [Fact]
    public void Configure_hooks_are_applied_in_order_including_hooks_for_base_settings_types()
    {
        var result = Run<ConfiguredBuild>("Image");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Ran.Should().Equal("builder=buildx args=--pull --no-cache");
    }

    sealed class UnrelatedHookBuild : TargetBuild, IImage
    {
        Target IImage.Image => _ => _.Inherit<IImage>().Configure<string>(_ => throw new InvalidOperationException("must not run"));
    }

    [Fact]
    public void Configure_hooks_for_other_settings_types_are_ignored()
    {
        var result = Run<UnrelatedHookBuild>("Image");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Ran.Should().Equal("builder=default args=");
    }
}

/// <summary>Issue 16: a Configure no component applies warns, and extensions hear of each run and of the end.</summary>
[Trait("Category", "Unit")]
public sealed class LifecycleHookTests : EngineTest
{
    sealed class RecordingAttribute : BuildExtensionAttribute
    {
        public override void OnTargetFinished(TargetBuild build, TargetRun run) => Journal.Record($"finished {run.Title} {run.Status}");
        public override void OnBuildFinished(TargetBuild build, IReadOnlyList<TargetRun> runs) => Journal.Record($"build finished with {runs.Count} runs");
    }

    sealed class Settings { public string? Value { get; set; } }

    [Recording]
    sealed class HookedBuild : TargetBuild
    {
        Target Compile => _ => _.Executes(() => Journal.Record("Compile"));
        Target Broken => _ => _.DependsOn(Compile).Executes(() => throw new InvalidOperationException("no"));
        Target Publish => _ => _.DependsOn(Broken).Executes(() => { });
        // Nothing in this target reads Settings: the hook would silently do nothing.
        Target Forgotten => _ => _.Configure<Settings>(s => s.Value = "lost").Executes(() => Journal.Record("Forgotten"));
    }

    [Fact]
    public void Extensions_hear_every_run_with_its_final_status_then_the_end_of_the_build()
    {
        var result = Run<HookedBuild>("Publish");

        result.ExitCode.Should().Be(1);
        result.Ran.Should().Equal("Compile", "finished Compile Succeeded", "finished Broken Failed", "finished Publish NotRun", "build finished with 3 runs");
    }

    [Fact]
    public void A_configure_hook_no_component_applied_warns_naming_the_target()
    {
        var result = Run<HookedBuild>("Forgotten");

        result.ExitCode.Should().Be(0, result.Output);
        result.Output.Should().Contain("warning: Target 'Forgotten': its Configure<Settings>(...) was never applied; no component of that target reads Settings.");
    }
}
