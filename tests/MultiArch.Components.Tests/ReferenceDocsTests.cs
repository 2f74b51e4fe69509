using MultiArch.Testing;
using MultiArch.Build;
using MultiArch.Workflows;

namespace MultiArch.Components.Tests;

// docs/reference is what `./build.sh --reference docs/reference` writes for a build with every component: a page per
// component, read from the code and its XML docs. Regenerate with UPDATE_GOLDEN=1 (as the workflow goldens).
[Trait("Category", "Unit")]
public sealed class ReferenceDocsTests
{
    /// <summary>A build with every packaged component, and nothing of its own.</summary>
    public sealed class EveryComponentBuild : TargetBuild, IMultiArchImage, IGitHubWorkflows
    {
        public ImageDefinition Image => new("acme/app") { Dockerfile = RootDirectory / "Dockerfile" };
        public IEnumerable<WorkflowDefinition> Workflows => [];
    }

    [Fact]
    public void The_committed_reference_pages_are_what_the_components_declare()
    {
        var root = Directory.CreateTempSubdirectory("multiarch-reference-");
        try
        {
            var output = new StringWriter();
            var exit = TargetBuild.Execute<EveryComponentBuild>(["--reference", "reference"],
                new BuildRunOptions
                {
                    Output = output, Environment = new Dictionary<string, string>(), RootDirectory = new AbsolutePath(root.FullName),
                });
            exit.Should().Be(0, output.ToString());

            var written = Directory.GetFiles(Path.Combine(root.FullName, "reference"), "*.md").Order(StringComparer.Ordinal).ToList();
            written.Select(Path.GetFileName).Should().Equal(
                [
                    "IBuildApp.md", "IBuildBase.md", "ICleanupBaseTags.md", "ICleanupUntagged.md", "IExportDigest.md",
                    "IGitHubWorkflows.md", "ILocalServices.md", "IMergeManifest.md", "IMultiArchPipeline.md", "IPreflight.md",
                    "IPrepare.md", "IPushArch.md", "IRunWorkflowsLocally.md",
                ],
                "one page per component that declares something");
            Approval.VerifyFolder(Path.Combine(root.FullName, "reference"), RepositoryRoot.Path / "docs" / "reference", "I*.md");
            File.ReadAllText(written.Single(p => p.EndsWith("IBuildApp.md", StringComparison.Ordinal)))
                .Should().Contain("| `BuildAppSettings` | `DockerBuildSettings` |", "a settings hook is listed with its settings type")
                .And.Contain("Extends [IBuildBase](IBuildBase.md).");
            File.ReadAllText(written.Single(p => p.EndsWith("IMultiArchPipeline.md", StringComparison.Ordinal)))
                .Should().Contain("| `--registry` | `MULTIARCH_REGISTRY` |")
                .And.Contain("`artifacts/digests`", "a path default is shown relative to the root")
                .And.Contain("| `Images` | `IReadOnlyList<ImageDefinition>` | optional |");
        }
        finally { root.Delete(recursive: true); }
    }
}
