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
