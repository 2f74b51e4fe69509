using MultiArch.Build.Tests.Support;

namespace MultiArch.Build.Tests;

/// <summary>Issue 16: exact, prefixed environment names; values resolved once; a class override is the same target.</summary>
[Trait("Category", "Unit")]
public sealed class EnvironmentAndOverrideTests : EngineTest
{
    /// <summary>A value type whose conversions are counted: the snapshot converts each given value once.</summary>
    public sealed record Counted(string Text)
    {
        static int _parsed;
        public static int Parsed => _parsed;
        public static Counted Parse(string text) { Interlocked.Increment(ref _parsed); return new Counted(text); }
    }

    interface IVersioned : IBuild
    {
        [Parameter("Image version")] string Version => TryGetValue(() => Version) ?? "dev";
        [Parameter("Token", Environment = "GITHUB_TOKEN"), Secret] string? GithubToken => TryGetValue(() => GithubToken);
        [Parameter("Counted value")] Counted? Marker => TryGetValue(() => Marker);

        Target Publish => _ => _.Executes(() =>
        {
            var markers = Enumerable.Range(0, 5).Select(_ => Marker?.Text).Distinct();
            Journal.Record($"tag {Version} token {(GithubToken is null ? "none" : "given")} marker {string.Join(",", markers)}");
        });
    }

    class VersionedBuild : TargetBuild, IVersioned
    {
        [Parameter("Platforms")] readonly string[] Platform = ["linux/amd64"];
        public virtual Target Compile => _ => _.Executes(() => Journal.Record("compile"));
        Target Show => _ => _.Executes(() => Journal.Record("platforms " + string.Join(",", Platform)));
    }

    sealed class DerivedBuild : VersionedBuild
    {
        public override Target Compile => _ => _.Base().Executes(() => Journal.Record("compile more"));
        Target Ship => _ => _.DependsOn(Compile).Executes(() => Journal.Record("ship"));
    }

    sealed class NoBaseBuild : TargetBuild
    {
        Target Compile => _ => _.Base();
    }

    [Fact]
    public void A_stray_VERSION_or_PLATFORM_from_the_shell_is_not_a_parameter_value()
    {
        Environment["VERSION"] = "8.0.404";
        Environment["PLATFORM"] = "x64";
        Environment["DRY_RUN"] = "1";

        var run = Run<VersionedBuild>("Publish", "Show");
        var help = Run<VersionedBuild>("--help");

        run.ExitCode.Should().Be(0, run.Output);
        run.Ran.Should().Equal("tag dev token none marker ", "platforms linux/amd64");
        run.Output.Should().NotContain("from env");
        help.ExitCode.Should().Be(0, help.Output);
        help.Output.Should().MatchRegex(@"--version <string>\s+Image version \[env MULTIARCH_VERSION; default dev\]");
    }

    [Fact]
    public void The_prefixed_name_and_an_opted_out_well_known_name_are_read_and_each_injected_value_is_shown_once_masked()
    {
        Environment["MULTIARCH_VERSION"] = "1.4.0";
        Environment["GITHUB_TOKEN"] = "ghp_secret0123456789";
        Environment["MULTIARCH_GITHUB_TOKEN"] = "not-this-one";

        var run = Run<VersionedBuild>("Publish");

        run.ExitCode.Should().Be(0, run.Output);
        run.Ran.Should().Equal("tag 1.4.0 token given marker ");
        run.Output.Should().Contain("Version = 1.4.0 (from env MULTIARCH_VERSION)").And.Contain("GithubToken = *** (from env GITHUB_TOKEN)")
            .And.NotContain("ghp_secret0123456789");
        Run<VersionedBuild>("--help").Output.Should().MatchRegex(@"--github-token <string>\s+Token \[env GITHUB_TOKEN; secret\]");
    }

    [Fact]
    public void A_value_is_converted_once_however_often_it_is_read()
    {
        var before = Counted.Parsed;

        var run = Run<VersionedBuild>("Publish", "--marker", "m1");

        run.Ran.Should().Equal("tag dev token none marker m1");
        // Once for the run's snapshot; the five reads and the help/default views convert nothing again.
        (Counted.Parsed - before).Should().Be(1);
    }

    [Fact]
    public void A_derived_class_override_is_the_same_target_and_Base_applies_the_overridden_definition()
    {
        var run = Run<DerivedBuild>("Ship");
        var help = Run<DerivedBuild>("--help");

        run.ExitCode.Should().Be(0, run.Output);
        run.Ran.Should().Equal("compile", "compile more", "ship");
        help.Output.Split('\n').Count(l => l.TrimStart().StartsWith("Compile", StringComparison.Ordinal)).Should().Be(1);
    }

    [Fact]
    public void Base_without_a_base_definition_is_one_line_naming_the_fix()
    {
        var run = Run<NoBaseBuild>("Compile");

        run.ExitCode.Should().Be(1);
        run.Output.Trim().Should().Be(
            "error: Target 'Compile' calls Base(), but no base class of NoBaseBuild defines 'Compile'. "
            + "For a component's target, use Inherit<TComponent>().");
    }
}
