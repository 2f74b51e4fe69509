using MultiArch.Build.Tests.Support;

namespace MultiArch.Build.Tests;

[Trait("Category", "Unit")]
public sealed class PlanOrderingTests : EngineTest
{
    // Declared out of order on purpose: the plan must follow the edges, not the declaration.
    sealed class DependencyBuild : TargetBuild
    {
        Target Test => _ => _.DependsOn(Compile).Executes(() => Journal.Record("Test"));
        Target Compile => _ => _.DependsOn(Restore).Executes(() => Journal.Record("Compile"));
        Target Restore => _ => _.Executes(() => Journal.Record("Restore"));
        Target Unrelated => _ => _.Executes(() => Journal.Record("Unrelated"));
    }

    [Fact]
    public void Dependencies_run_first_and_unrelated_targets_stay_out()
    {
        var result = Run<DependencyBuild>("Test");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Ran.Should().Equal("Restore", "Compile", "Test");
    }

    // Declared A first, so only the ordering through the unplanned M can put Z before it.
    sealed class TransitiveOrderBuild : TargetBuild
    {
        Target A => _ => _.After(M).Executes(() => Journal.Record("A"));
        Target M => _ => _.After(Z).Executes(() => Journal.Record("M"));
        Target Z => _ => _.Executes(() => Journal.Record("Z"));
    }

    [Fact]
    public void After_holds_through_a_target_that_is_not_planned()
    {
        // Issue 16: with A.After(M), M.After(Z) and M not planned, A once ran before Z.
        var result = Run<TransitiveOrderBuild>("A", "Z");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Ran.Should().Equal("Z", "A");
    }

    sealed class TieBuild : TargetBuild
    {
        Target C => _ => _.Executes(() => Journal.Record("C"));
        Target A => _ => _.Executes(() => Journal.Record("A"));
        Target B => _ => _.Executes(() => Journal.Record("B"));
        Target All => _ => _.DependsOn(B, A, C);
    }

    [Fact]
    public void Independent_targets_keep_declaration_order()
    {
        var result = Run<TieBuild>("All");

        result.Ran.Should().Equal("C", "A", "B");
    }

    [Fact]
    public void The_same_plan_twice_gives_the_same_order()
    {
        var first = Run<TieBuild>("All", "--plan");
        var second = Run<TieBuild>("All", "--plan");

        first.Output.Should().Contain("1. C").And.Contain("4. All");
        second.Output.Should().Be(first.Output);
    }

    sealed class OrderingBuild : TargetBuild
    {
        Target Late => _ => _.After(Early).Executes(() => Journal.Record("Late"));
        Target Early => _ => _.Executes(() => Journal.Record("Early"));
        Target First => _ => _.Before(Late, Early).Executes(() => Journal.Record("First"));
    }

    [Fact]
    public void After_and_Before_order_targets_that_are_both_planned()
    {
        var result = Run<OrderingBuild>("Late", "Early", "First");

        result.Ran.Should().Equal("First", "Early", "Late");
    }

    [Fact]
    public void After_and_Before_do_not_add_targets_to_the_plan()
    {
        var result = Run<OrderingBuild>("Late");

        result.Ran.Should().Equal("Late");
    }

    sealed class TriggerBuild : TargetBuild
    {
        Target Publish => _ => _.Triggers(Announce).Executes(() => Journal.Record("Publish"));
        Target Announce => _ => _.Executes(() => Journal.Record("Announce"));
        Target Audit => _ => _.TriggeredBy(Publish).Executes(() => Journal.Record("Audit"));
        Target Compile => _ => _.Executes(() => Journal.Record("Compile"));
    }

    [Fact]
    public void Triggers_and_TriggeredBy_add_targets_after_the_trigger()
    {
        var result = Run<TriggerBuild>("Publish");

        result.Ran.Should().Equal("Publish", "Announce", "Audit");
    }

    [Fact]
    public void Triggered_targets_stay_out_when_their_trigger_is_not_planned()
    {
        var result = Run<TriggerBuild>("Compile");

        result.Ran.Should().Equal("Compile");
    }

    sealed class DependentForBuild : TargetBuild
    {
        Target Pack => _ => _.Executes(() => Journal.Record("Pack"));
        Target Sign => _ => _.DependentFor(Pack).Executes(() => Journal.Record("Sign"));
    }

    [Fact]
    public void DependentFor_makes_the_other_target_depend_on_this_one()
    {
        var result = Run<DependentForBuild>("Pack");

        result.Ran.Should().Equal("Sign", "Pack");
    }
}
