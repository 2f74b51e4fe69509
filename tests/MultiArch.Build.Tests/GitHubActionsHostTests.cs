using MultiArch.Build.Tests.Support;

namespace MultiArch.Build.Tests;

[Trait("Category", "Unit")]
public sealed class GitHubActionsHostTests : EngineTest
{
    sealed class HostBuild : TargetBuild
    {
        Target Compile => _ => _.Executes(() => Journal.Record("Compile"));
        Target Broken => _ => _
            .DependsOn(Compile)
            .Executes(() => throw new InvalidOperationException("50% done, then: failure\nmore detail"));
    }

    AbsolutePath StepSummary => Root / "step-summary.md";

    public GitHubActionsHostTests()
    {
        Environment["GITHUB_ACTIONS"] = "true";
        Environment["GITHUB_STEP_SUMMARY"] = StepSummary;
    }

    [Fact]
    public void Each_target_is_a_log_group()
    {
        var result = Run<HostBuild>("Compile");

        result.Output.Should().Contain("::group::Compile\n").And.Contain("::endgroup::\n");
    }

    [Fact]
    public void A_failure_is_an_error_annotation_with_escaped_text()
    {
        var result = Run<HostBuild>("Broken");

        result.ExitCode.Should().Be(1);
        result.Output.Should().Contain("::error title=Broken::50%25 done, then: failure%0Amore detail\n");
    }

    [Fact]
    public void The_summary_table_is_appended_to_the_step_summary_as_Markdown()
    {
        File.WriteAllText(StepSummary, "earlier step\n");

        Run<HostBuild>("Broken");

        var markdown = File.ReadAllText(StepSummary);
        markdown.Should().StartWith("earlier step\n");
        markdown.Should().Contain("| Target | Partition | Status | Duration | Note |")
            .And.Contain("| Compile | - | Succeeded |")
            .And.Contain("| Broken | - | Failed |")
            .And.Contain("**Build failed: Broken.**");
    }

    [Fact]
    public void Outside_GitHub_Actions_there_are_no_workflow_commands()
    {
        Environment.Remove("GITHUB_ACTIONS");

        var result = Run<HostBuild>("Broken");

        result.Output.Should().NotContain("::group::").And.NotContain("::error");
        File.Exists(StepSummary).Should().BeFalse();
    }
}
