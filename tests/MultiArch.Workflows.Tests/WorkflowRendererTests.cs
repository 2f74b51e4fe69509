namespace MultiArch.Workflows.Tests;

/// <summary>How the typed model becomes YAML: header, quoting, block scripts, fixed order, and a faithful read-back.</summary>
[Trait("Category", "Unit")]
public sealed class WorkflowRendererTests
{
    static Workflow Sample()
    {
        var workflow = new Workflow { Name = "Sample" };
        workflow.On.Schedule.Add("0 0 * * *");
        workflow.On.WorkflowDispatch = new WorkflowDispatchTrigger();
        workflow.On.WorkflowDispatch.Inputs["version"] = new WorkflowInput { Default = "1.10" };
        workflow.Env["MODE"] = "on";
        workflow.Env["COUNT"] = "3";
        var job = new Job { RunsOn = "${{ matrix.runner }}", TimeoutMinutes = 30 };
        job.Steps.Add(new Step { Name = "Two lines", Run = "echo one\necho two" });
        job.Steps.Add(new Step { Uses = "actions/checkout@v4" });
        workflow.Jobs["only"] = job;
        return workflow;
    }

    [Fact]
    public void Header_says_the_file_is_generated_and_names_the_regenerating_command()
    {
        var text = WorkflowRenderer.Render(Sample(), "the Build build");

        var header = text.Split('\n').TakeWhile(l => l.StartsWith('#')).ToList();
        header.Should().HaveCount(3);
        string.Join(" ", header).Should().Contain("Do not edit by hand").And.Contain("./build.sh GenerateWorkflows").And.Contain("the " +
            "Build build").And.Contain("content-sha256: ");
    }

    [Fact]
    public void Values_a_YAML_reader_could_misread_are_quoted()
    {
        var text = WorkflowRenderer.Render(Sample());

        text.Should().Contain("\n'on':\n", "YAML 1.1 readers take a bare on for true");
        text.Should().Contain("- cron: '0 0 * * *'");
        text.Should().Contain("default: '1.10'", "unquoted it would read back as the number 1.1");
        text.Should().Contain("MODE: 'on'");
        text.Should().Contain("COUNT: 3", "a canonical integer reads back as the same text");
        text.Should().Contain("runs-on: '${{ matrix.runner }}'");
        text.Should().Contain("timeout-minutes: 30");
    }

    [Fact]
    public void Multi_line_scripts_are_literal_blocks()
    {
        WorkflowRenderer.Render(Sample()).Should().Contain("run: |\n          echo one\n          echo two\n");
    }

    [Fact]
    public void Keys_come_in_a_fixed_order_whatever_order_they_were_set_in()
    {
        var text = WorkflowRenderer.Render(Sample());

        var order = new[] { "name:", "'on':", "permissions:", "env:",
            "jobs:" }.Select(k => text.IndexOf("\n" + k, StringComparison.Ordinal)).ToList();
        order.Should().BeInAscendingOrder().And.NotContain(-1);
    }

    [Fact]
    public void Actions_pinned_to_a_commit_keep_their_version_as_a_comment()
    {
        var workflow = Sample();
        workflow.Jobs["only"].Steps[1].Uses = new ActionReference("actions/checkout", "v4")
            .PinnedTo("11bd71901bbe5b1630ceea73d27597364c9af683");

        WorkflowRenderer.Render(workflow).Should().Contain("uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4\n");
    }

    [Fact]
    public void A_step_with_both_uses_and_run_is_refused()
    {
        var workflow = Sample();
        workflow.Jobs["only"].Steps[1].Run = "echo";

        var render = () => WorkflowRenderer.Render(workflow);

        render.Should().Throw<WorkflowDefinitionException>()
            .WithMessage("Step 'actions/checkout@v4' must have exactly one of uses and run.");
    }
}
