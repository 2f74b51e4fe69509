using System.Diagnostics;
using MultiArch.Oci;

namespace MultiArch.Ghcr.Tests;

/// <summary>
/// Cleanup against APIs and registries that misbehave (issue 13): a list route that ignores <c>page</c>, a caller that
/// cancels mid-listing, a tagged index whose child descriptor understates what it points at, and deletes that all
/// answer 404 because the repository lacks the package's Admin grant.
/// </summary>
[Trait("Category", "Registry")]
public sealed class CleanupHardeningTests
{
    [SkippableFact]
    public async Task A_list_route_that_ignores_page_stops_when_a_page_adds_no_new_ids()
    {
        await using var scenario = await CleanupScenario.StartAsync();
        for (var i = 0; i < 110; i++)
            scenario.Repository.List(await scenario.Repository.PushImageAsync($"bulk {i}"), TimeSpan.FromDays(3));
        scenario.Api.IgnoresPage = true;
        var log = new StringWriter();

        var run = UntaggedCleaner.RunAsync(scenario.Request(log, dryRun: true));
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30))) == run;

        finished.Should().BeTrue($"listing must end; {scenario.Api.ListRequests} list requests so far");
        var report = await run;
        report.ListRequests.Should().Be(2, "the second page repeats the first: stop there");
        report.Warnings.Should().Contain(w => w.Contains("added no new versions") && w.Contains("page 2"));
        scenario.Api.DeleteRequests.Should().Be(0);
    }

    [SkippableFact]
    public async Task Cancelling_while_pages_are_walked_one_by_one_stops_the_listing()
    {
        await using var scenario = await CleanupScenario.StartAsync();
        for (var i = 0; i < 3000; i++)
            scenario.Api.AddVersion(CleanupScenario.Owner, scenario.Package, Digest.Compute(BitConverter.GetBytes(i)).ToString(),
                DateTimeOffset.UtcNow.AddDays(-3));
        scenario.Api.SendsLinkHeader = false; // no rel="last": pages are fetched one after another
        scenario.Api.Latency = TimeSpan.FromMilliseconds(40);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(400));
        var stopwatch = Stopwatch.StartNew();

        var failure = await Record.ExceptionAsync(() => UntaggedCleaner.RunAsync(scenario.Request(new StringWriter()), cancel.Token));

        failure.Should().BeAssignableTo<OperationCanceledException>();
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1.5), "a cancelled listing stops at the next page");
        scenario.Api.ListRequests.Should().BeLessThan(20, "31 pages would be the whole listing");
        scenario.Api.DeleteRequests.Should().Be(0);
    }

    [SkippableFact]
    public async Task A_child_descriptor_that_says_image_but_points_at_an_index_is_expanded_by_its_bytes()
    {
        await using var scenario = await CleanupScenario.StartAsync();
        var repo = scenario.Repository;
        var amd = await repo.PushImageAsync("under a mislabelled index amd64", Platform.LinuxAmd64);
        var arm = await repo.PushImageAsync("under a mislabelled index arm64", Platform.LinuxArm64);
        var inner = await repo.PushIndexAsync("inner index, described as an image", [amd, arm]);
        // The outer index's descriptor claims "image manifest" for what is an index.
        var outer = await repo.PushIndexAsync("outer index with a mislabelled child",
            [inner with { MediaType = MediaTypes.OciManifest }], "3.0");
        repo.List(outer, TimeSpan.FromDays(2), "3.0");
        scenario.Tags.Add("3.0");
        var reached = new[] { amd, arm, inner }.Select(d => repo.List(d, TimeSpan.FromDays(2)).Digest).ToList();

        var report = await UntaggedCleaner.RunAsync(scenario.Request(new StringWriter()));

        report.Outcome.Should().Be(CleanupOutcome.Completed);
        report.Deleted.Select(d => d.Digest).Should().NotIntersectWith(reached).And.BeEquivalentTo(scenario.Orphans);
        foreach (var digest in reached) (await repo.ExistsAsync(digest)).Should().BeTrue(digest);
    }

    [SkippableFact]
    public async Task Deletes_that_all_answer_404_fail_naming_the_missing_admin_grant()
    {
        await using var scenario = await CleanupScenario.StartAsync();
        scenario.Api.InjectFault("DELETE", FakeFault.NotFound, count: 100);
        var before = scenario.Api.Versions(CleanupScenario.Owner, scenario.Package).Count;

        var failure = await Record.ExceptionAsync(() => UntaggedCleaner.RunAsync(scenario.Request(new StringWriter())));

        failure.Should().BeOfType<GhcrCleanupException>().Which.Message.Should()
            .Contain($"all {scenario.Orphans.Count} deletions").And.Contain("still listed")
            .And.Contain("Admin access").And.Contain("Manage Actions access")
            .And.NotContain("\n");
        scenario.Api.Versions(CleanupScenario.Owner, scenario.Package).Should().HaveCount(before);
    }

    [SkippableFact]
    public async Task Repeated_500s_from_the_versions_api_are_called_server_errors_not_rate_limiting()
    {
        await using var scenario = await CleanupScenario.StartAsync();
        scenario.Api.InjectFault("GET", FakeFault.ServerError, count: 10);

        var failure = await Record.ExceptionAsync(() =>
            UntaggedCleaner.RunAsync(scenario.Request(new StringWriter()) with { MaxRateLimitRetries = 2 }));

        failure.Should().BeOfType<GhcrCleanupException>().Which.Message.Should()
            .Contain("HTTP 500").And.Contain("3 attempts").And.NotContain("rate-limiting").And.NotContain("rate limit");
    }
}
