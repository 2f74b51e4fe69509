using MultiArch.Build.Tests.Support;

namespace MultiArch.Build.Tests;

[Trait("Category", "Unit")]
public sealed class FailureTests : EngineTest
{
    sealed class FailingBuild : TargetBuild
    {
        Target Compile => _ => _.Executes(() => Journal.Record("Compile"));
        Target Broken => _ => _.DependsOn(Compile).Executes(() => throw new InvalidOperationException("disk full"));
        Target Tolerant => _ => _.DependsOn(Compile).ProceedAfterFailure().Executes(() => throw new InvalidOperationException("flaky"));
        Target Publish => _ => _.DependsOn(Compile).Executes(() => Journal.Record("Publish"));
        Target Cleanup => _ => _.AssuredAfterFailure().Executes(() => Journal.Record("Cleanup"));
        Target Everything => _ => _.DependsOn(Broken, Publish);
        Target Lenient => _ => _.DependsOn(Tolerant, Publish);
        Target WithCleanup => _ => _.DependsOn(Broken, Publish, Cleanup);
        Target AfterLenient => _ => _.DependsOn(Lenient).Executes(() => Journal.Record("AfterLenient"));
        Target Last => _ => _.DependsOn(AfterLenient, Publish).ProceedAfterFailure().Executes(() => Journal.Record("Last"));
    }

    [Fact]
    public void A_failure_makes_later_targets_NotRun_and_exits_1()
    {
        var result = Run<FailingBuild>("Everything");

        result.ExitCode.Should().Be(1);
        result.Ran.Should().Equal("Compile");
        result.Status("Broken").Should().Be("Failed");
        result.SummaryRow("Broken").Should().Contain("disk full");
        result.Status("Publish").Should().Be("NotRun");
        result.Status("Everything").Should().Be("NotRun");
        result.Output.Should().Contain("error: Broken: disk full").And.Contain("Build failed: Broken.");
    }

    [Fact]
    public void ProceedAfterFailure_lets_later_targets_run_but_still_fails_the_build()
    {
        var result = Run<FailingBuild>("Lenient");

        result.ExitCode.Should().Be(1);
        result.Ran.Should().Equal("Compile", "Publish");
        result.Status("Tolerant").Should().Be("Failed");
        // Lenient depends on the failed target itself: the rest of the plan goes on, never a target whose input failed.
        result.Status("Lenient").Should().Be("Blocked");
        result.SummaryRow("Lenient").Should().Contain("Tolerant failed");
    }

    [Fact]
    public void A_failure_blocks_its_whole_dependency_closure_while_the_rest_goes_on()
    {
        // Issue 16: Lenient was NotRun, but AfterLenient, which depends on it, still ran.
        var result = Run<FailingBuild>("Last");

        result.ExitCode.Should().Be(1);
        result.Ran.Should().Equal("Compile", "Publish");
        result.Status("Lenient").Should().Be("Blocked");
        result.Status("AfterLenient").Should().Be("Blocked");
        result.Status("Last").Should().Be("Blocked");
        result.SummaryRow("Last").Should().Contain("Tolerant failed", "the root cause, however far back");
    }

    [Fact]
    public void AssuredAfterFailure_runs_after_a_failure()
    {
        var result = Run<FailingBuild>("WithCleanup");

        result.ExitCode.Should().Be(1);
        result.Ran.Should().Equal("Compile", "Cleanup");
        result.Status("Publish").Should().Be("NotRun");
        result.Status("Cleanup").Should().Be("Succeeded");
    }

    [Fact]
    public void A_target_without_actions_is_Collective()
    {
        var result = Run<FailingBuild>("Lenient", "--skip", "Tolerant");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Status("Lenient").Should().Be("Collective");
        result.Output.Should().Contain("Build succeeded.");
    }

    sealed class AsyncBuild : TargetBuild
    {
        Target Slow => _ => _.Executes(async () => { await Task.Yield(); Journal.Record("Slow"); });
        Target Fails => _ => _.DependsOn(Slow).Executes(async () => { await Task.Yield(); throw new IOException("remote closed"); });
    }

    [Fact]
    public void Asynchronous_actions_are_awaited_and_their_failures_reported()
    {
        var result = Run<AsyncBuild>("Fails");

        result.ExitCode.Should().Be(1);
        result.Ran.Should().Equal("Slow");
        result.SummaryRow("Fails").Should().Contain("Failed").And.Contain("remote closed");
    }
}
