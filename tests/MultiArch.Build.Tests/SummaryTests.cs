using MultiArch.Build.Tests.Support;

namespace MultiArch.Build.Tests;

[Trait("Category", "Unit")]
public sealed class SummaryTests : EngineTest
{
    sealed class ReportingBuild : TargetBuild
    {
        Target Publish => _ => _.Executes(() => AddSummary("registry.example/app:1.0@sha256:abc  (linux/amd64)"));
        Target Count => _ => _.DependsOn(Publish).Executes(() => AddSummary("3 passed, 0 failed"));
    }

    [Fact]
    public void The_summary_ends_with_the_lines_targets_added_after_the_verdict()
    {
        var result = Run<ReportingBuild>("Count");

        result.ExitCode.Should().Be(0);
        var lines = result.Output.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        lines[^3].Should().Be("Build succeeded.");
        lines[^2].Should().Be("registry.example/app:1.0@sha256:abc  (linux/amd64)");
        lines[^1].Should().Be("3 passed, 0 failed", "CI reads a test run's closing line");
    }
}
