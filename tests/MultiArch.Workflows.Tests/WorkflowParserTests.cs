using MultiArch.Testing;
namespace MultiArch.Workflows.Tests;

/// <summary>Every workflow we generate is accepted by GitHub's own parser with zero errors.</summary>
[Trait("Category", "Unit")]
public sealed class WorkflowParserTests
{
    [SkippableFact]
    public void Every_generated_workflow_parses_with_zero_errors_in_GitHubs_parser()
    {
        using var folder = new TempDirectory();
        var files = GoldenWorkflowTests.Cases.Select(c => (string)c[0]).Append("hand-off").Select(name =>
        {
            var path = folder.File(name + ".yml");
            File.WriteAllText(path, name == "hand-off" ? BuildHarness.Generate<HandOffBuild>(name) : GoldenWorkflowTests.Generate(name));
            return path;
        }).ToArray();

        var (exitCode, output) = WorkflowParser.Validate(files);

        output.Should().Contain($"{files.Length} workflow(s), 0 error(s)");
        exitCode.Should().Be(0, output);
    }

    [SkippableFact]
    public void The_parser_check_catches_a_broken_workflow()
    {
        using var folder = new TempDirectory();
        var broken = GoldenWorkflowTests.Generate("release").Replace("      - build\n", "      - no-such-job\n");
        File.WriteAllText(folder.File("broken.yml"), broken);

        var (exitCode, output) = WorkflowParser.Validate(folder.File("broken.yml"));

        exitCode.Should().Be(1, output);
        output.Should().Contain("no-such-job");
    }
}
