using MultiArch.Testing;
namespace MultiArch.Workflows.Tests;

/// <summary>What the generator writes is accepted by GitHub's own parser with zero errors (the pipeline's golden workflows are
/// checked in MultiArch.Components.Tests).</summary>
[Trait("Category", "Unit")]
public sealed class WorkflowParserTests
{
    [SkippableFact]
    public void A_generated_workflow_parses_with_zero_errors_in_GitHubs_parser()
    {
        using var folder = new TempDirectory();
        var path = folder.File("hand-off.yml", BuildHarness.Generate<HandOffBuild>("hand-off"));

        var (exitCode, output) = WorkflowParser.Validate(path);

        output.Should().Contain("1 workflow(s), 0 error(s)");
        exitCode.Should().Be(0, output);
    }

    [SkippableFact]
    public void The_parser_check_catches_a_broken_workflow()
    {
        using var folder = new TempDirectory();
        var broken = BuildHarness.Generate<HandOffBuild>("hand-off").Replace("      - stamp\n", "      - no-such-job\n");
        File.WriteAllText(folder.File("broken.yml"), broken);

        var (exitCode, output) = WorkflowParser.Validate(folder.File("broken.yml"));

        exitCode.Should().Be(1, output);
        output.Should().Contain("no-such-job");
    }
}
