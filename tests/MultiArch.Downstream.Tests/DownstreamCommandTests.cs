using MultiArch.Testing;

namespace MultiArch.Downstream.Tests;

// What a downstream repository sees before anything is built: its own target listed, placed and in its workflows.
[Trait("Category", "Unit")]
[Collection(DownstreamCollection.Name)]
public sealed class DownstreamCommandTests(DownstreamSample sample)
{
    [Fact]
    public async Task Help_lists_the_samples_own_SmokeTest_next_to_our_targets()
    {
        var (exit, output) = await sample.RunAsync(["--help"]);

        exit.Should().Be(0, output);
        output.Should().MatchRegex(@"(?m)^\s+SmokeTest\s+Runs each pushed per-arch image")
            .And.MatchRegex(@"(?m)^\s+ExportDigest\s.*\(after PushArch, SmokeTest; per image x platform\)")
            .And.Contain("--base-image");
    }

    [Fact]
    public async Task Plan_places_SmokeTest_between_PushArch_and_ExportDigest_for_every_leg()
    {
        var (exit, output) = await sample.RunAsync(["--plan", "MergeManifest"]);

        exit.Should().Be(0, output);
        const string legs = "x5 [api linux/amd64, api linux/arm64, api linux/arm/v7, worker linux/amd64, worker linux/arm64]";
        output.Should().Contain("1. LocalServices", "the machine is checked once, before any leg")
            .And.Contain("2. Preflight", "the inputs are checked once, before any leg")
            .And.Contain("3. Prepare", "the version and tags are computed once, before any leg")
            .And.Contain($"6. CleanupBaseTags  {legs}", "each lane cleans its base tags after its app build")
            .And.Contain($"7. PushArch  {legs}")
            .And.Contain($"8. SmokeTest  {legs}")
            .And.Contain($"9. ExportDigest  {legs}")
            .And.Contain("10. MergeManifest");
    }

    [SkippableFact]
    public async Task Committed_workflows_match_the_generator_and_parse_with_GitHubs_parser()
    {
        ServiceRequirement.Require(Service.Node | Service.WorkflowParser);
        var (exit, output) = await sample.RunAsync(["CheckWorkflows"]);
        exit.Should().Be(0, "the sample's committed workflows are what its definitions generate:\n" + output);

        var release = Path.Combine(sample.Root, ".github", "workflows", "release.yml");
        var parser = await DownstreamSample.RunProcessAsync("node",
            [Path.Combine(RepositoryRoot.Path, ".ci", "workflow-parser", "validate.mjs"), release], sample.Root,
                new Dictionary<string, string>());
        parser.ExitCode.Should().Be(0, parser.Output);

        var text = await File.ReadAllTextAsync(release);
        text.Should().Contain("- image: api\n            platform: linux/arm/v7", "the extra platform is a leg of its own")
            .And.Contain("- image: worker\n            platform: linux/arm64", "the matrix is image x platform")
            .And.NotContain("- image: worker\n            platform: linux/arm/v7", "only the api has the third platform")
            .And.Contain("Run BuildBase BuildApp PushArch SmokeTest ExportDigest", "each leg runs the smoke test");
    }
}
