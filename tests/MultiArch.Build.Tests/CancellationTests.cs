using MultiArch.Build.Tests.Support;

namespace MultiArch.Build.Tests;

/// <summary>
/// Ctrl+C and SIGTERM go through <c>TargetBuild.Abort</c>, which the tests call directly: sending a signal to the
/// test host would hit the runner too. The signal wiring itself is covered by the hardening issue's kill tests.
/// </summary>
[Trait("Category", "Unit")]
public sealed class CancellationTests : EngineTest
{
    sealed class AbortBuild : TargetBuild
    {
        Target Compile => _ => _.Executes(() => Journal.Record("Compile"));
        Target Observing => _ => _.DependsOn(Compile).Executes(() =>
        {
            Abort("SIGINT received");
            Cancellation.ThrowIfCancellationRequested();
        });
        Target Ignoring => _ => _.DependsOn(Compile).Executes(() => { Abort("SIGTERM received"); Journal.Record("Ignoring finished"); });
        Target Publish => _ => _.DependsOn(Compile).After(Observing, Ignoring).Executes(() => Journal.Record("Publish"));
        Target Cleanup => _ => _.AssuredAfterFailure().Executes(() => Journal.Record("Cleanup"));
        Target ViaToken => _ => _.DependsOn(Observing, Publish, Cleanup);
        Target ViaIgnoring => _ => _.DependsOn(Ignoring, Publish, Cleanup);
        // Cleanup that awaits, as real cleanup does (removing tags, stopping a registry).
        Target SlowCleanup => _ => _.AssuredAfterFailure().Executes(async () =>
        {
            IsAborting.Should().BeTrue();
            await Task.Delay(TimeSpan.FromMilliseconds(300), Cancellation);
            Journal.Record("SlowCleanup finished");
        });
        Target EndlessCleanup => _ => _.AssuredAfterFailure().Executes(async () =>
        {
            await Task.Delay(TimeSpan.FromMinutes(5), Cancellation);
            Journal.Record("EndlessCleanup finished");
        });
        Target ViaSlowCleanup => _ => _.DependsOn(Observing, SlowCleanup);
        Target ViaEndlessCleanup => _ => _.DependsOn(Observing, EndlessCleanup);
    }

    [Fact]
    public void An_assured_target_gets_its_own_token_and_finishes_its_cleanup_after_an_abort()
    {
        // Issue 16: cleanup once got the cancelled token and aborted at its first await.
        var result = Run<AbortBuild>("ViaSlowCleanup");

        result.ExitCode.Should().Be(130);
        result.Ran.Should().Equal("Compile", "SlowCleanup finished");
        result.Status("SlowCleanup").Should().Be("Succeeded");
        result.Output.Should().Contain("warning: SIGINT received: aborting after the running targets stop (cleanup targets get 30 s).");
    }

    [Fact]
    public void Cleanup_that_outlives_the_cleanup_timeout_is_aborted()
    {
        var result = Run<AbortBuild>("ViaEndlessCleanup", "--cleanup-timeout", "1");

        result.ExitCode.Should().Be(130);
        result.Ran.Should().Equal("Compile");
        result.Status("EndlessCleanup").Should().Be("Aborted");
    }

    [Fact]
    public void Cancellation_aborts_the_running_target_skips_the_rest_and_still_runs_assured_targets()
    {
        var result = Run<AbortBuild>("ViaToken");

        result.ExitCode.Should().Be(130);
        result.Ran.Should().Equal("Compile", "Cleanup");
        result.Output.Should().Contain("warning: SIGINT received: aborting after the running targets stop");
        result.Status("Observing").Should().Be("Aborted");
        result.Status("Publish").Should().Be("NotRun");
        result.Status("Cleanup").Should().Be("Succeeded");
        result.Output.Should().Contain("Build aborted.");
    }

    [Fact]
    public void Cancellation_during_a_target_that_ignores_the_token_still_ends_the_build_aborted()
    {
        var result = Run<AbortBuild>("ViaIgnoring");

        result.ExitCode.Should().Be(130);
        result.Ran.Should().Equal("Compile", "Ignoring finished", "Cleanup");
        result.Status("Ignoring").Should().Be("Aborted");
        result.Status("Publish").Should().Be("NotRun");
        result.Output.Should().Contain("Build aborted.");
    }
}
