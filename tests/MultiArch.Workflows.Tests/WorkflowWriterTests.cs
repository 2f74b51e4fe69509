using MultiArch.Testing;
namespace MultiArch.Workflows.Tests;

/// <summary>Writing, checking and the automatic regeneration, through the build as a user runs it.</summary>
[Trait("Category", "Unit")]
public sealed class WorkflowWriterTests
{
    [Fact]
    public void GenerateWorkflows_writes_every_workflow_and_rewrites_nothing_when_unchanged()
    {
        using var root = new TempDirectory();

        var (exit, output) = BuildHarness.Run<FanInBuild>(root.Path, args: "GenerateWorkflows");
        exit.Should().Be(0, output);
        var release = root.File(".github/workflows/release.yml");
        File.ReadAllText(release).Should().Be(BuildHarness.Generate<FanInBuild>("release"));
        var stamp = File.GetLastWriteTimeUtc(release);
        File.SetLastWriteTimeUtc(release, stamp.AddHours(-1));

        var (again, secondOutput) = BuildHarness.Run<FanInBuild>(root.Path, args: "GenerateWorkflows");

        again.Should().Be(0);
        secondOutput.Should().Contain("Workflows are up to date.");
        File.GetLastWriteTimeUtc(release).Should().Be(stamp.AddHours(-1), "an unchanged file is not touched");
    }

    [Fact]
    public void A_run_narrowed_by_platform_or_image_still_generates_every_matrix_leg()
    {
        using var root = new TempDirectory();

        // The fan-in build's platforms are a plain [Parameter] array: exactly what --platform narrows.
        var (exit, output) = BuildHarness.Run<FanInBuild>(root.Path,
            new Dictionary<string, string> { ["MULTIARCH_PLATFORM"] = "linux/amd64" }, "GenerateWorkflows", "--platform", "linux/arm64");

        exit.Should().Be(0, output);
        var release = File.ReadAllText(root.File(".github/workflows/release.yml"));
        release.Should().Be(BuildHarness.Generate<FanInBuild>("release"),
            "a matrix is what the build declares, not what one invocation narrowed it to");
        release.Should().Contain("platform: linux/amd64").And.Contain("platform: linux/arm64");
    }

    [Fact]
    public void CheckWorkflows_fails_naming_the_file_and_the_difference_when_a_committed_workflow_is_stale()
    {
        using var root = new TempDirectory();
        BuildHarness.Run<FanInBuild>(root.Path, args: "GenerateWorkflows").ExitCode.Should().Be(0);
        BuildHarness.Run<FanInBuild>(root.Path, args: "CheckWorkflows").ExitCode.Should().Be(0);
        var release = root.File(".github/workflows/release.yml");
        File.WriteAllText(release, File.ReadAllText(release).Replace("timeout-minutes: 60", "timeout-minutes: 5"));

        var (exit, output) = BuildHarness.Run<FanInBuild>(root.Path, args: "CheckWorkflows");

        exit.Should().Be(1);
        output.Should().Contain(".github/workflows/release.yml").And.Contain("@@ line 25 @@\n-     timeout-minutes: 5\n+     " +
            "timeout-minutes: 60\n")
            .And.Contain("run ./build.sh GenerateWorkflows and commit the result");
    }

    [Fact]
    public void Check_reports_a_workflow_that_was_never_generated()
    {
        using var root = new TempDirectory();
        var (graph, workflows) = BuildHarness.Load<FanInBuild>();

        var differences = WorkflowWriter.Check(root.Path, graph, workflows);

        differences.Select(d => d.Path).Should().Equal(".github/workflows/release.yml", ".github/workflows/pull-request.yml",
            ".github/workflows/main.yml");
        differences.Should().OnlyContain(d => d.Diff == "missing (never generated)");
    }

    [Fact]
    public void Any_local_run_regenerates_changed_workflows_in_the_same_process()
    {
        using var root = new TempDirectory();

        var (exit, output) = BuildHarness.Run<FanInBuild>(root.Path, args: "Compile");

        exit.Should().Be(0, output);
        output.Should().Contain("Regenerated .github/workflows/release.yml");
        File.Exists(root.File(".github/workflows/main.yml")).Should().BeTrue();
    }

    // What GenerateWorkflows wrote from other definitions: the same header, a hash that matches its own body.
    static string StampedAsGenerated(string generated, Func<string, string> change)
    {
        var lines = generated.Split('\n', 4);
        var body = change(lines[3]);
        return $"{lines[0]}\n{lines[1]}\n{WorkflowContentHash.Line(body)}\n{body}";
    }

    [Fact]
    public void A_local_run_replaces_a_workflow_the_earlier_definitions_generated_saying_the_definitions_changed()
    {
        using var root = new TempDirectory();
        BuildHarness.Run<FanInBuild>(root.Path, args: "GenerateWorkflows").ExitCode.Should().Be(0);
        var release = root.File(".github/workflows/release.yml");
        var generated = File.ReadAllText(release);
        File.WriteAllText(release, StampedAsGenerated(generated, body => body.Replace("timeout-minutes: 60", "timeout-minutes: 5")));

        var (exit, output) = BuildHarness.Run<FanInBuild>(root.Path, args: "Compile");

        exit.Should().Be(0, output);
        output.Should().Contain("Regenerated .github/workflows/release.yml (the workflow definitions changed)").And.NotContain("your " +
            "edits");
        File.ReadAllText(release).Should().Be(generated);
    }

    [Fact]
    public void A_hand_edited_workflow_is_kept_with_a_warning_locally_fails_in_CI_and_is_replaced_by_GenerateWorkflows()
    {
        using var root = new TempDirectory();
        BuildHarness.Run<FanInBuild>(root.Path, args: "GenerateWorkflows").ExitCode.Should().Be(0);
        var release = root.File(".github/workflows/release.yml");
        var generated = File.ReadAllText(release);
        var edited = generated.Replace("timeout-minutes: 60", "timeout-minutes: 5"); // the hash line still describes the generated body
        File.WriteAllText(release, edited);
        const string warning = "your edits to .github/workflows/release.yml will be replaced: run ./build.sh GenerateWorkflows to accept";

        var (local, localOutput) = BuildHarness.Run<FanInBuild>(root.Path, args: "Compile");
        local.Should().Be(0, localOutput);
        localOutput.Should().Contain(warning).And.NotContain("Regenerated .github/workflows/release.yml");
        File.ReadAllText(release).Should().Be(edited);

        var (ci, ciOutput) = BuildHarness.Run<FanInBuild>(root.Path, ci: true, args: "Compile");
        ci.Should().Be(1, ciOutput);
        ciOutput.Should().Contain("error: " + warning).And.Contain("fails in CI");
        File.ReadAllText(release).Should().Be(edited);

        var (accept, acceptOutput) = BuildHarness.Run<FanInBuild>(root.Path, args: "GenerateWorkflows");
        accept.Should().Be(0, acceptOutput);
        acceptOutput.Should().Contain("Replaced .github/workflows/release.yml, which was edited by hand");
        File.ReadAllText(release).Should().Be(generated);
    }

    [Fact]
    public void A_workflow_without_a_content_hash_is_kept_locally_with_a_warning_and_does_not_fail_CI()
    {
        using var root = new TempDirectory();
        BuildHarness.Run<FanInBuild>(root.Path, args: "GenerateWorkflows").ExitCode.Should().Be(0);
        var release = root.File(".github/workflows/release.yml");
        var unstamped = string.Join('\n', File.ReadAllText(release).Split('\n').Where(l => !l.StartsWith("# content-sha256: ")));
        File.WriteAllText(release, unstamped);

        var (local, localOutput) = BuildHarness.Run<FanInBuild>(root.Path, args: "Compile");
        local.Should().Be(0, localOutput);
        localOutput.Should().Contain("your edits to .github/workflows/release.yml will be replaced: run ./build.sh GenerateWorkflows to " +
            "accept (it carries no content hash");
        File.ReadAllText(release).Should().Be(unstamped);

        // Nothing proves an edit, so CI leaves it to CheckWorkflows, which reports the difference.
        BuildHarness.Run<FanInBuild>(root.Path, ci: true, args: "Compile").ExitCode.Should().Be(0);
        BuildHarness.Run<FanInBuild>(root.Path, args: "CheckWorkflows").ExitCode.Should().Be(1);
    }

    [Fact]
    public void The_content_hash_matches_only_the_text_it_was_computed_for()
    {
        var generated = BuildHarness.Generate<FanInBuild>("release");

        WorkflowContentHash.Matches(generated).Should().BeTrue();
        WorkflowContentHash.Matches(generated + "# appended\n").Should().BeFalse();
        WorkflowContentHash.Matches("name: plain\n").Should().BeNull();
    }

    [Fact]
    public void CI_runs_never_rewrite_workflows()
    {
        using var root = new TempDirectory();

        var (exit, output) = BuildHarness.Run<FanInBuild>(root.Path, ci: true, args: "Compile");

        exit.Should().Be(0, output);
        Directory.Exists(root.File(".github")).Should().BeFalse();
    }

    [Fact]
    public void Two_definitions_for_one_file_are_refused_before_anything_is_written()
    {
        using var root = new TempDirectory();
        var (graph, workflows) = BuildHarness.Load<FanInBuild>();

        var write = () => WorkflowWriter.Write(root.Path, graph,
            [.. workflows, new WorkflowDefinition("Release", "Again").OnDispatch().Invokes("Compile")]);

        write.Should().Throw<WorkflowDefinitionException>()
            .WithMessage("Two workflow definitions write 'release.yml'; give each its own file name.");
        Directory.Exists(root.File(".github")).Should().BeFalse();
    }
}
