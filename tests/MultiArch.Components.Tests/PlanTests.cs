using System.Text.RegularExpressions;
using MultiArch.Build;

namespace MultiArch.Components.Tests;

[Trait("Category", "Unit")]
public sealed class PlanTests
{
    [Fact]
    public void Plan_of_MergeManifest_lists_LocalServices_Preflight_Prepare_then_BuildBase_BuildApp_CleanupBaseTags_PushArch_ExportDigest_MergeManifest_in_that_order()
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
