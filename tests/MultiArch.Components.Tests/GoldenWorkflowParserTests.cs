using MultiArch.Testing;

namespace MultiArch.Components.Tests;

/// <summary>Every golden pipeline workflow is accepted by GitHub's own parser with zero errors.</summary>
[Trait("Category", "Unit")]
public sealed class GoldenWorkflowParserTests
{
    [SkippableFact]
    public void Every_golden_workflow_parses_with_zero_errors_in_GitHubs_parser()
    {
        using var folder = new TempDirectory();
        var files = GoldenWorkflowTests.Cases.Select(c => (string)c[0])
            .Select(name => folder.File(name + ".yml", GoldenWorkflowTests.Generate(name))).ToArray();

        var (exitCode, output) = WorkflowParser.Validate(files);

        output.Should().Contain($"{files.Length} workflow(s), 0 error(s)");
        exitCode.Should().Be(0, output);
    }
}
