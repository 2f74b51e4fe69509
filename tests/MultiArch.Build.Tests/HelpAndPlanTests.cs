using MultiArch.Build.Tests.Support;

namespace MultiArch.Build.Tests;

[Trait("Category", "Unit")]
public sealed class HelpAndPlanTests : EngineTest
{
    enum Mode { Fast, Thorough }

    sealed class DocumentedBuild : TargetBuild
    {
        [Parameter("Registry host and port")] readonly string Registry = "127.0.0.1:5000";
        [Parameter("Test mode")] readonly Mode TestMode = Mode.Thorough;
        [Parameter("API token"), Secret] readonly string? ApiToken;

        Target Restore => _ => _.Description("Restores packages").Executes(() => Journal.Record("Restore"));
        public Target Compile => _ => _
            .Description("Compiles everything")
            .DependsOn(Restore)
            .Triggers(Report)
            .Executes(() => Journal.Record("Compile"));
        Target Report => _ => _.Description("Writes the report").Executes(() => Journal.Record("Report"));
        Target Internal => _ => _.Description("For the CI only").Unlisted().Executes(() => Journal.Record("Internal"));
    }

    BuildResult Help() => RunWithDefault<DocumentedBuild>(["--help"], x => x.Compile);

    [Fact]
    public void Help_lists_targets_with_descriptions_dependencies_and_the_default_marker()
    {
        var output = Help().Output;

        output.Should().MatchRegex(@"\n  \* Compile +Compiles everything  \(after Restore; triggers Report\)\n");
        output.Should().MatchRegex(@"\n    Restore +Restores packages\n");
    }

    [Fact]
    public void Help_hides_Unlisted_targets()
    {
        Help().Output.Should().NotContain("Internal");
    }

    [Fact]
    public void Help_lists_parameters_with_type_environment_variable_and_default()
    {
        var output = Help().Output;

        output.Should().MatchRegex(@"--registry <string> +Registry host and port \[env MULTIARCH_REGISTRY; default 127\.0\.0\.1:5000\]");
        output.Should().MatchRegex(@"--test-mode <Fast\|Thorough> +Test mode \[env MULTIARCH_TEST_MODE; default Thorough\]");
        output.Should().MatchRegex(@"--api-token <string> +API token \[env MULTIARCH_API_TOKEN; secret\]");
        output.Should().MatchRegex(@"--help +Print the targets and parameters, and exit\n");
    }

    [Fact]
    public void Help_runs_nothing_and_exits_0()
    {
        var result = Help();

        result.ExitCode.Should().Be(0);
        result.Ran.Should().BeEmpty();
    }

    [Fact]
    public void Plan_prints_the_order_and_writes_a_page_that_draws_the_graph_offline()
    {
        var result = RunWithDefault<DocumentedBuild>(["--plan"], x => x.Compile);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Ran.Should().BeEmpty();
        result.Output.Should().Contain("Execution plan:\n   1. Restore\n   2. Compile\n   3. Report\n");
        var page = File.ReadAllText(Root / ".nuke" / "temp" / "plan.html");
        page.Replace("xmlns=\"http://www.w3.org/2000/svg\"", "").Should().NotContainAny(["http:", "https:", "<script"],
            "the page draws the graph itself, so it shows without a network");
        page.Should().Contain("<svg").And.Contain("data-target=\"Restore\"").And.Contain("class=\"node planned\" data-target=\"Compile\"");
        System.Text.RegularExpressions.Regex.Matches(page, "class=\"edge dependson\"").Should().HaveCount(1, "Compile depends on Restore");
        System.Text.RegularExpressions.Regex.Matches(page, "class=\"edge trigger\"").Should().HaveCount(1, "Compile triggers Report");
        var mermaid = File.ReadAllText(Root / ".nuke" / "temp" / "plan.mmd");
        mermaid.Should().Contain("flowchart LR").And.Contain("Restore --> Compile").And.Contain("Compile ==> Report")
            .And.Contain("class Restore,Compile,Report planned");
        page.Should().Contain("Restore --&gt; Compile", "the Mermaid source is on the page too, for pasting");
    }

    [Fact]
    public void Plan_followed_by_a_target_name_plans_that_target()
    {
        var result = Run<DocumentedBuild>("--plan", "Restore");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Output.Should().Contain("Execution plan:\n   1. Restore\n").And.NotContain("2.");
    }

    [Fact]
    public void Plan_marks_skipped_targets()
    {
        var result = Run<DocumentedBuild>("Compile", "--plan", "--skip", "Restore");

        result.Output.Should().Contain("1. Restore  (skipped)");
    }

    [Fact]
    public void A_run_writes_the_parameters_schema_only_when_it_changes()
    {
        var schema = Root / ".nuke" / "build.schema.json";
        Run<DocumentedBuild>("Restore");
        var written = File.GetLastWriteTimeUtc(schema);
        File.SetLastWriteTimeUtc(schema, written.AddHours(-1));

        Run<DocumentedBuild>("Restore");

        File.ReadAllText(schema).Should().Contain("\"Registry\"").And.Contain("\"enum\"").And.NotContain("\"Help\"");
        File.GetLastWriteTimeUtc(schema).Should().Be(written.AddHours(-1));
    }
}
