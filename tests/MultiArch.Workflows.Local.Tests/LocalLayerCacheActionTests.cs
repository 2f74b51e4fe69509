namespace MultiArch.Workflows.Local.Tests;

// The generated build legs expose the Actions runtime (crazy-max/ghaction-github-runtime) for the gha layer cache.
// Run here, there is no runtime to expose: the step says so, and exports nothing, so the build sees no
// ACTIONS_RUNTIME_TOKEN and says once that layer caching is off, as the reason promises.
[Trait("Category", "Unit")]
public sealed class LocalLayerCacheActionTests
{
    [Fact]
    public async Task The_runtime_action_is_not_emulated_and_exports_no_token()
    {
        await using var actions = new LocalSetupActions(_ => { });

        var outcome = await actions.RunAsync(ActionVersions.GitHubRuntime.Reference, new Dictionary<string, string>(),
            CancellationToken.None);

        outcome.Status.Should().Be(LocalStatus.Skipped);
        outcome.Reason.Should().Be("not emulated: there is no Actions runtime here (no ACTIONS_RUNTIME_TOKEN, no cache service) to " +
            "expose, so --cache gha turns layer caching off; use --cache registry locally");
        outcome.Env.Should().BeEmpty();
        outcome.Outputs.Should().BeEmpty();
    }
}
