using System.Text.RegularExpressions;
using MultiArch.Build;

namespace MultiArch.Components.Tests;

[Trait("Category", "Unit")]
public sealed class PlanTests
{
    [Fact]
    public void Plan_of_MergeManifest_lists_the_machine_input_and_prepare_targets_then_the_lanes_then_the_merge()
    {
        var root = Directory.CreateTempSubdirectory("multiarch-plan-");
        try
        {
            var output = new StringWriter();
            var exit = TargetBuild.Execute<HelloBuild>(["--plan", "MergeManifest"],
                new BuildRunOptions
                {
                    Output = output, Environment = new Dictionary<string, string>(), RootDirectory = new AbsolutePath(root.FullName),
                });

            exit.Should().Be(0, output.ToString());
            Regex.Matches(output.ToString(), @"^\s*\d+\.\s+(\w+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value)
                .Should().Equal(
                    ["LocalServices", "Preflight", "Prepare", "BuildBase", "BuildApp", "CleanupBaseTags", "PushArch", "ExportDigest",
                     "MergeManifest"],
                    output.ToString());
            output.ToString().Should()
                .Contain("BuildBase  x2 [hello linux/amd64, hello linux/arm64]", "per-platform targets show their lanes");
        }
        finally { root.Delete(recursive: true); }
    }
}
