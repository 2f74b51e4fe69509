using MultiArch.Build;
using MultiArch.Oci;
using MultiArch.Oci.Tagging;

namespace MultiArch.Components.Tests.Tagging;

// A build's Tags reach the tags the merge pushes: PipelineNaming.ReleaseTags with the run's TagContext (GitHub's
// event, ref and commit), in process, no registry. The rules themselves are tested in MultiArch.Oci.Tests/Tagging.
[Trait("Category", "Unit")]
public sealed class PipelineTagsTests
{
    const string Sha = "0123456789abcdef0123456789abcdef01234567";

    // Prints what MergeManifest would tag the index with, through the same members it asks.
    public class DefaultTagsBuild : TargetBuild, IMultiArchImage
    {
        public ImageDefinition Image => new("acme/app");
        Target ShowTags => _ => _.Executes(() =>
            Log.Info("tags: " + string.Join(" ", ((IMultiArchPipeline)this).Naming.ReleaseTags(
                ((IMultiArchPipeline)this).TagContext, ((IMultiArchPipeline)this).ExtraTags))));
    }

    public sealed class BranchTagsBuild : DefaultTagsBuild, IMultiArchPipeline
    {
        Tags IMultiArchPipeline.Tags
            => new(new TagRule.Ref(RefEvent.Branch), new TagRule.Ref(RefEvent.Pr), new TagRule.Edge(), new TagRule.Sha());
    }

    static string Run<T>(IReadOnlyDictionary<string, string> environment, params string[] args) where T : TargetBuild, new()
    {
        var root = Directory.CreateTempSubdirectory("multiarch-tags-");
        try
        {
            var output = new StringWriter();
            var exit = TargetBuild.Execute<T>(
                ["ShowTags", .. args],
                new BuildRunOptions { Output = output, Environment = environment, RootDirectory = new AbsolutePath(root.FullName) });
            exit.Should().Be(0, output.ToString());
            return output.ToString().Split('\n').Single(l => l.Contains("tags: ", StringComparison.Ordinal)).Split("tags: ")[1].Trim();
        }
        finally { root.Delete(recursive: true); }
    }

    static Dictionary<string, string> GitHub(string eventName, string fullRef) => new()
    {
        ["GITHUB_EVENT_NAME"] = eventName, ["GITHUB_REF"] = fullRef, ["GITHUB_SHA"] = Sha,
    };

    [Fact]
    public void Without_declared_tags_a_pull_request_run_keeps_today_s_tags() =>
        Run<DefaultTagsBuild>(GitHub("pull_request", "refs/pull/42/merge"), "--version", "1.2.3", "--extra-tags", "edge")
            .Should().Be(string.Join(" ", TagRules.For("1.2.3", Sha, ["edge"])));

    [Theory]
    [InlineData("pull_request", "refs/pull/42/merge", "pr-42 sha-0123456")]
    [InlineData("push", "refs/heads/feature/login", "feature-login sha-0123456")]
    [InlineData("push", "refs/tags/v1.2.3", "sha-0123456")]
    public void Declared_tags_follow_the_event_and_ref(string eventName, string fullRef, string tags) =>
        Run<BranchTagsBuild>(GitHub(eventName, fullRef), "--version", "1.2.3").Should().Be(tags);

    [Fact]
    public void Edge_needs_the_default_branch_from_the_event_payload()
    {
        var payload = Path.GetTempFileName();
        try
        {
            File.WriteAllText(payload, """{"repository":{"default_branch":"main"}}""");
            Run<BranchTagsBuild>(
                    new Dictionary<string, string>(GitHub("push", "refs/heads/main")) { ["GITHUB_EVENT_PATH"] = payload },
                    "--version",
                    "1.2.3")
                .Should().Be("edge main sha-0123456");
        }
        finally { File.Delete(payload); }
    }

    [Fact]
    public void The_naming_s_version_replaces_the_context_s()
    {
        var naming = new PipelineNaming(ImageVersion.Parse("2.0.0"))
        {
            Tags = new Tags(new TagRule.Version(), new TagRule.Semver("{{major}}")),
        };
        naming.ReleaseTags(new TagContext { Version = ImageVersion.Parse("1.0.0") }, []).Should().Equal("2.0.0", "2", "latest");
    }
}
