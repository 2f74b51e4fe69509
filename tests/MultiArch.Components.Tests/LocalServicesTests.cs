using MultiArch.Testing;

namespace MultiArch.Components.Tests;

// The preflight, as a user meets it: the real ./build.sh with an engine that is not there. LocalServices runs once
// before any lane, so the missing engine is one error line, and no lane starts to repeat it.
[Trait("Category", "Registry")]
public sealed class LocalServicesTests
{
    [SkippableFact]
    public async Task Without_an_engine_MergeManifest_fails_once_before_any_lane_with_the_fix()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var sandbox = await PipelineSandbox.StartAsync();

        var run = await sandbox.RunScriptAsync(["MergeManifest", "--no-provision"],
            new Dictionary<string, string>
            {
                ["DOCKER_HOST"] = "unix:///tmp/multiarch-no-engine.sock", ["BASE_IMAGE"] = HelloBuild.BusyboxIndex,
            });

        run.ExitCode.Should().Be(1, run.ToString());
        run.ErrorLines.Should().ContainSingle(run.ToString()).Which.Should()
            .Contain("LocalServices")
            .And.Contain("Docker engine not reachable at unix:///tmp/multiarch-no-engine.sock")
            .And.Contain("start it with");
        run.Output.Should().MatchRegex(@"(?m)^LocalServices\s+-\s+Failed")
            .And.MatchRegex(@"(?m)^BuildBase\s+hello linux/amd64\s+NotRun")
            .And.NotMatchRegex(@"(?m)^(BuildBase|BuildApp|PushArch)\s+\S+ \S+\s+Failed", "no lane ran");
        using var client = sandbox.Registry.CreateClient();
        (await client.ListRepositoriesAsync()).Should().BeEmpty("nothing was pushed");
    }
}
