using System.Text.RegularExpressions;
using MultiArch.Testing;

namespace MultiArch.Downstream.Tests;

// samples/mirrored (issue 19's acceptance): two registries, provenance referrers and metadata-style tags. Its committed
// workflow is what its definitions generate and what GitHub's parser accepts, and no secret value is in it.
[Trait("Category", "Unit")]
[Collection(DownstreamCollection.Name)]
public sealed class MirroredSampleTests(DownstreamSample sample)
{
    [SkippableFact]
    public async Task Mirrored_committed_workflow_matches_its_definitions_and_parses_with_GitHubs_parser()
    {
        ServiceRequirement.Require(Service.Node | Service.WorkflowParser);
        var root = await sample.CopyOfSampleAsync("mirrored");
        var (exit, output) = await sample.RunIn(root, ["CheckWorkflows"]);
        exit.Should().Be(0, "the sample's committed workflows are what its definitions generate:\n" + output);

        var release = Path.Combine(root, ".github", "workflows", "release.yml");
        var parser = await DownstreamSample.RunProcessAsync("node",
            [Path.Combine(RepositoryRoot.Path, ".ci", "workflow-parser", "validate.mjs"), release], root, new Dictionary<string, string>());
        parser.ExitCode.Should().Be(0, parser.Output);

        var text = await File.ReadAllTextAsync(release);
        text.Should().Contain("    branches:\n      - main\n    tags:\n      - 'v*'", "it releases main and v* tags")
            .And.Contain("workflow_dispatch")
            .And.Contain("MULTIARCH_ATTEST: provenance", "--attest provenance reaches every job's build")
            .And.Contain("- image: app\n            platform: linux/amd64").And.Contain("- image: app\n            platform: linux/arm64");
        Regex.Matches(text, "registry: ghcr.io").Count.Should().Be(2, "build and merge push to GHCR");
        Regex.Matches(text, "registry: docker.io").Count.Should().Be(1, "only the merge job mirrors, so only it logs in to Docker Hub");
        text.Should().Contain("username: '${{ secrets.DOCKER_IO_USERNAME }}'\n          password: '${{ secrets.DOCKER_IO_TOKEN }}'");
        // Every credential is a reference, never a value.
        Regex.Matches(text, @"(?m)^\s+(username|password): (.*)$").Select(m => m.Groups[2].Value)
            .Should().OnlyContain(v => Regex.IsMatch(v, @"^'\$\{\{ (secrets\.[A-Z_]+|github\.actor) \}\}'$"));
    }
}
