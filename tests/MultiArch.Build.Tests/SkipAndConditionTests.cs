using MultiArch.Build.Tests.Support;

namespace MultiArch.Build.Tests;

[Trait("Category", "Unit")]
public sealed class SkipAndConditionTests : EngineTest
{
    sealed class ChainBuild : TargetBuild
    {
        Target Restore => _ => _.Executes(() => Journal.Record("Restore"));
        Target Compile => _ => _.DependsOn(Restore).Executes(() => Journal.Record("Compile"));
        Target Test => _ => _.DependsOn(Compile).Executes(() => Journal.Record("Test"));
    }

    [Fact]
    public void Skip_with_no_names_skips_every_target_not_named()
    {
        var result = Run<ChainBuild>("Test", "--skip");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Ran.Should().Equal("Test");
        result.Status("Restore").Should().Be("Skipped");
        result.Status("Compile").Should().Be("Skipped");
        result.SummaryRow("Compile").Should().Contain("--skip");
    }

    [Fact]
    public void Skip_with_names_skips_only_those()
    {
        var result = Run<ChainBuild>("Test", "--skip", "Compile");

        result.Ran.Should().Equal("Restore", "Test");
        result.Status("Compile").Should().Be("Skipped");
    }

    [Fact]
    public void Skip_of_an_unknown_name_suggests_the_closest()
    {
        var result = Run<ChainBuild>("Test", "--skip", "Restor");

        result.ExitCode.Should().Be(1);
        result.Output.Should().Contain("Did you mean 'Restore'?");
        result.Ran.Should().BeEmpty();
    }

    sealed class ConditionBuild : TargetBuild
    {
        [Parameter] readonly bool Enabled;
        bool _ready;

        Target Prepare => _ => _.Executes(() => { Journal.Record("Prepare"); _ready = false; });
        Target Static => _ => _.DependsOn(Prepare).OnlyWhenStatic(() => Enabled).Executes(() => Journal.Record("Static"));
        Target Dynamic => _ => _.DependsOn(Prepare).OnlyWhenDynamic(() => _ready).Executes(() => Journal.Record("Dynamic"));
        Target Ready => _ => _.Executes(() => _ready = true);
        Target Late => _ => _.DependsOn(Ready, Prepare).OnlyWhenDynamic(() => _ready).Executes(() => Journal.Record("Late"));
    }

    [Fact]
    public void OnlyWhenStatic_false_skips_and_shows_the_condition_text()
    {
        var result = Run<ConditionBuild>("Static");

        result.Ran.Should().Equal("Prepare");
        result.Status("Static").Should().Be("Skipped");
        result.SummaryRow("Static").Should().Contain("condition false: () => Enabled");
    }

    [Fact]
    public void OnlyWhenStatic_true_runs()
    {
        var result = Run<ConditionBuild>("Static", "--enabled");

        result.Ran.Should().Equal("Prepare", "Static");
    }

    [Fact]
    public void OnlyWhenDynamic_is_evaluated_right_before_the_target_runs()
    {
        // Ready sets the flag only after the plan started; a condition read before running would still see false.
        var skipped = Run<ConditionBuild>("Dynamic");
        var ran = Run<ConditionBuild>("Late");

        skipped.Status("Dynamic").Should().Be("Skipped");
        skipped.SummaryRow("Dynamic").Should().Contain("condition false: () => _ready");
        ran.Ran.Should().Equal("Prepare", "Late");
    }

    sealed class WhenSkippedBuild : TargetBuild
    {
        Target Shared => _ => _.Executes(() => Journal.Record("Shared"));
        Target Only => _ => _.Executes(() => Journal.Record("Only"));
        Target Deploy => _ => _
            .DependsOn(Shared, Only)
            .OnlyWhenStatic(() => false)
            .WhenSkipped(DependencyBehavior.Skip)
            .Executes(() => Journal.Record("Deploy"));
        Target Report => _ => _.DependsOn(Shared).Executes(() => Journal.Record("Report"));
        Target KeepDeps => _ => _.DependsOn(Only).OnlyWhenStatic(() => false).Executes(() => Journal.Record("KeepDeps"));
    }

    [Fact]
    public void WhenSkipped_Skip_also_skips_dependencies_nothing_else_needs()
    {
        var result = Run<WhenSkippedBuild>("Deploy", "Report");

        result.Ran.Should().Equal("Shared", "Report");
        result.Status("Only").Should().Be("Skipped");
        result.SummaryRow("Only").Should().Contain("dependency of skipped Deploy");
    }

    [Fact]
    public void A_statically_skipped_target_still_runs_its_dependencies_by_default()
    {
        var result = Run<WhenSkippedBuild>("KeepDeps");

        result.Ran.Should().Equal("Only");
        result.Status("KeepDeps").Should().Be("Skipped");
    }

    sealed class ThrowingConditionBuild : TargetBuild
    {
        static bool Probe() => throw new FileNotFoundException("marker.txt is missing");

        Target First => _ => _.Executes(() => Journal.Record("First"));
        Target Dynamic => _ => _.DependsOn(First).OnlyWhenDynamic(() => Probe()).Executes(() => Journal.Record("Dynamic"));
        Target Static => _ => _.DependsOn(First).OnlyWhenStatic(() => Probe()).Executes(() => Journal.Record("Static"));
        Target Last => _ => _.DependsOn(Dynamic).Executes(() => Journal.Record("Last"));
    }

    [Fact]
    public void A_dynamic_condition_that_throws_fails_its_target_with_a_summary()
    {
        var result = Run<ThrowingConditionBuild>("Last");

        result.ExitCode.Should().Be(1);
        result.Ran.Should().Equal("First");
        result.SummaryRow("Dynamic").Should().Contain("Failed").And.Contain("condition threw: marker.txt is missing");
        result.Status("Last").Should().Be("NotRun");
    }

    [Fact]
    public void A_static_condition_that_throws_is_one_error_line_and_nothing_runs()
    {
        var result = Run<ThrowingConditionBuild>("Static");

        result.ExitCode.Should().Be(1);
        result.Ran.Should().BeEmpty();
        result.Output.Trim().Should().Be("error: Target 'Static': its OnlyWhenStatic condition threw: marker.txt is missing");
    }

    sealed class SelfSkippingBuild : TargetBuild
    {
        Target Base => _ => _.Executes(() => throw new TargetSkippedException("no base Dockerfile configured"));
        Target App => _ => _.DependsOn(Base).Executes(() => Journal.Record("App"));
    }

    [Fact]
    public void An_action_can_skip_its_own_target_with_a_reason()
    {
        var result = Run<SelfSkippingBuild>("App");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Ran.Should().Equal("App");
        result.SummaryRow("Base").Should().Contain("Skipped").And.Contain("no base Dockerfile configured");
    }
}
