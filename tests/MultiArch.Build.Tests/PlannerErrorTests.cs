using MultiArch.Build.Tests.Support;

namespace MultiArch.Build.Tests;

[Trait("Category", "Unit")]
public sealed class PlannerErrorTests : EngineTest
{
    sealed class CycleBuild : TargetBuild
    {
        Target A => _ => _.DependsOn(B).Executes(() => Journal.Record("A"));
        Target B => _ => _.DependsOn(A).Executes(() => Journal.Record("B"));
    }

    [Fact]
    public void A_cycle_prints_the_cycle_and_runs_nothing()
    {
        var result = Run<CycleBuild>("A");

        result.ExitCode.Should().Be(1);
        result.Output.Should().Contain("A -> B -> A");
        result.Ran.Should().BeEmpty();
    }

    sealed class OrderingCycleBuild : TargetBuild
    {
        Target A => _ => _.After(C).Executes(() => { });
        Target B => _ => _.DependsOn(A).Executes(() => { });
        Target C => _ => _.TriggeredBy(B).Executes(() => { });
    }

    [Fact]
    public void A_cycle_through_After_and_Triggers_is_a_cycle_too()
    {
        var result = Run<OrderingCycleBuild>("B");

        result.ExitCode.Should().Be(1);
        result.Output.Should().Contain("Cycle in target order: A -> B -> C -> A");
    }

    sealed class NamedBuild : TargetBuild
    {
        Target Compile => _ => _.Executes(() => Journal.Record("Compile"));
        Target Publish => _ => _.Executes(() => Journal.Record("Publish"));
    }

    [Fact]
    public void Unknown_target_suggests_the_closest_name()
    {
        var result = Run<NamedBuild>("Compiel");

        result.ExitCode.Should().Be(1);
        result.Output.Should().Contain("Unknown target 'Compiel'. Did you mean 'Compile'?");
        result.Ran.Should().BeEmpty();
    }

    [Fact]
    public void Target_names_on_the_command_line_ignore_case()
    {
        var result = Run<NamedBuild>("publish");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Ran.Should().Equal("Publish");
    }

    [Fact]
    public void No_target_and_no_default_is_an_error_naming_the_fix()
    {
        var result = Run<NamedBuild>();

        result.ExitCode.Should().Be(1);
        result.Output.Should().Contain("No target given and no default target");
    }

    interface IFirstComponent : IBuild
    {
        Target Package => _ => _.Executes(() => Journal.Record("first"));
    }

    interface ISecondComponent : IBuild
    {
        Target Package => _ => _.Executes(() => Journal.Record("second"));
    }

    sealed class DuplicateBuild : TargetBuild, IFirstComponent, ISecondComponent;

    [Fact]
    public void Duplicate_target_names_across_two_components_are_an_error_naming_both()
    {
        var result = Run<DuplicateBuild>("Package");

        result.ExitCode.Should().Be(1);
        result.Output.Should().Contain("Target 'Package' is declared twice")
            .And.Contain("IFirstComponent.Package").And.Contain("ISecondComponent.Package");
        result.Ran.Should().BeEmpty();
    }

    sealed class ForeignReferenceBuild : TargetBuild
    {
        static Target Elsewhere => _ => _;
        Target A => _ => _.DependsOn(Elsewhere).Executes(() => { });
    }

    [Fact]
    public void Depending_on_a_target_outside_the_build_is_an_error()
    {
        var result = Run<ForeignReferenceBuild>("A");

        result.ExitCode.Should().Be(1);
        result.Output.Should().Contain("Target 'A' DependsOn a target that is not part of this build");
    }
}
