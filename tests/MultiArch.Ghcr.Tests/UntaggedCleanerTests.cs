using System.Text.Json;
using MultiArch.Oci;
using MultiArch.Testing;

namespace MultiArch.Ghcr.Tests;

[Trait("Category", "Registry")]
public sealed class UntaggedCleanerTests
{
    [SkippableFact]
    public async Task Cleanup_deletes_only_orphans_and_every_platform_of_every_tag_still_resolves()
    {
        await using var scenario = await CleanupScenario.StartAsync();
        var log = new StringWriter();
        var reportPath = Path.Combine(Path.GetTempPath(), $"cleanup-{Guid.NewGuid():N}", "report.json");

        var report = await UntaggedCleaner.RunAsync(scenario.Request(log) with { ReportPath = reportPath });

        report.Outcome.Should().Be(CleanupOutcome.Completed);
        report.Deleted.Select(d => d.Digest).Should().BeEquivalentTo(scenario.Orphans);
        var left = scenario.Api.Versions(CleanupScenario.Owner, scenario.Package).Select(v => v.Digest).ToList();
        left.Should().NotIntersectWith(scenario.Orphans).And.Contain(scenario.Fresh).And.Contain(scenario.ProtectedUntagged);
        foreach (var orphan in scenario.Orphans) (await scenario.Repository.ExistsAsync(orphan)).Should().BeFalse(orphan);
        await AssertEveryTagResolvesAsync(scenario);
        (report.KeptTagged, report.ProtectedChildren, report.SkippedByGracePeriod).Should().Be((3, scenario.ProtectedUntagged.Count, 1));

        // The JSON report holds what GitHub's restore endpoint needs: ids and digests.
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(reportPath));
        json.RootElement.GetProperty("deleted").EnumerateArray()
            .Select(d => (d.GetProperty("id").GetInt64(), d.GetProperty("digest").GetString()))
            .Should().BeEquivalentTo(report.Deleted.Select(d => (d.Id, d.Digest)));
        report.ToSummaryTable().Should().Contain("| Deleted | 7 |").And.Contain("| Kept: inside the grace period | 1 |");
        Directory.Delete(Path.GetDirectoryName(reportPath)!, recursive: true);
    }

    [SkippableFact]
    public async Task Dry_run_lists_what_would_be_deleted_and_deletes_nothing()
    {
        await using var scenario = await CleanupScenario.StartAsync();
        var before = scenario.Api.Versions(CleanupScenario.Owner, scenario.Package);
        var log = new StringWriter();

        var report = await UntaggedCleaner.RunAsync(scenario.Request(log, dryRun: true));

        report.Outcome.Should().Be(CleanupOutcome.DryRun);
        report.Deleted.Select(d => d.Digest).Should().BeEquivalentTo(scenario.Orphans);
        scenario.Api.DeleteRequests.Should().Be(0);
        scenario.Api.Versions(CleanupScenario.Owner, scenario.Package).Should().BeEquivalentTo(before);
        foreach (var orphan in scenario.Orphans)
        {
            (await scenario.Repository.ExistsAsync(orphan)).Should().BeTrue();
            log.ToString().Should().Contain($"would delete {before.Single(v => v.Digest == orphan).Id} {orphan}");
        }
    }

    [SkippableFact]
    public async Task An_unreadable_tagged_manifest_fails_closed_and_deletes_nothing()
    {
        await using var scenario = await CleanupScenario.StartAsync();
        var missing = Digest.Compute("never pushed"u8).ToString();
        scenario.Api.AddVersion(CleanupScenario.Owner, scenario.Package, missing, DateTimeOffset.UtcNow.AddDays(-1), "3.0");

        var report = await UntaggedCleaner.RunAsync(scenario.Request(new StringWriter()));

        report.Outcome.Should().Be(CleanupOutcome.FailedClosed);
        report.Reason.Should().StartWith($"Deleted nothing from {scenario.Image}: kept manifest {missing} (tag 3.0) could not be read")
            .And.NotContain("\n");
        report.Deleted.Should().BeEmpty();
        scenario.Api.DeleteRequests.Should().Be(0);
    }

    [SkippableFact]
    public async Task Nested_package_name_is_escaped_for_the_api_and_plain_for_the_registry()
    {
        await using var scenario = await CleanupScenario.StartAsync(package: "app/dev");

        var report = await UntaggedCleaner.RunAsync(scenario.Request(new StringWriter()));

        report.Deleted.Select(d => d.Digest).Should().BeEquivalentTo(scenario.Orphans);
        scenario.Api.RequestTargets.Where(t => t.Contains("/packages/")).Should().OnlyContain(t =>
            t.Contains("/packages/container/app%2Fdev/versions"));
        await AssertEveryTagResolvesAsync(scenario);
    }

    [SkippableFact]
    public async Task User_owned_package_is_detected_and_cleaned_through_the_user_routes()
    {
        await using var scenario = await CleanupScenario.StartAsync(organization: false);

        var report = await UntaggedCleaner.RunAsync(scenario.Request(new StringWriter()));

        report.Deleted.Select(d => d.Digest).Should().BeEquivalentTo(scenario.Orphans);
        scenario.Api.RequestTargets.Where(t => t.Contains("/packages/")).Should().OnlyContain(t =>
            t.Contains("/api/v3/users/acme/packages/"));
    }

    [SkippableFact]
    public async Task Rate_limit_answers_are_retried_and_the_cleanup_completes()
    {
        await using var scenario = await CleanupScenario.StartAsync();
        scenario.Api.InjectFault("GET", FakeFault.SecondaryRateLimit);
        scenario.Api.InjectFault("GET", FakeFault.PrimaryRateLimit);
        scenario.Api.InjectFault("DELETE", FakeFault.TooManyRequests);
        scenario.Api.InjectFault("DELETE", FakeFault.SecondaryRateLimit);
        var log = new StringWriter();

        var report = await UntaggedCleaner.RunAsync(scenario.Request(log) with { ApiConcurrency = 1 });

        report.Outcome.Should().Be(CleanupOutcome.Completed);
        report.RateLimitRetries.Should().Be(4);
        scenario.Api.FaultsServed.Should().Be(4);
        report.Deleted.Select(d => d.Digest).Should().BeEquivalentTo(scenario.Orphans);
        log.ToString().Should().Contain("GitHub rate limit on deleting version").And.Contain("retrying in 1 s");
    }

    [SkippableFact]
    public async Task A_404_on_delete_is_a_warning_and_the_rest_is_deleted()
    {
        await using var scenario = await CleanupScenario.StartAsync();
        scenario.Api.InjectFault("DELETE", FakeFault.NotFound);

        var report = await UntaggedCleaner.RunAsync(scenario.Request(new StringWriter()) with { ApiConcurrency = 1 });

        report.Outcome.Should().Be(CleanupOutcome.Completed);
        report.Deleted.Should().HaveCount(scenario.Orphans.Count - 1);
        report.Warnings.Should().ContainSingle().Which.Should().Contain("answered 404 on delete")
            .And.Contain("delete:packages").And.Contain("Admin access");
    }

    [SkippableFact]
    public async Task Keep_newest_keeps_that_many_orphans_with_their_children()
    {
        await using var scenario = await CleanupScenario.StartAsync();

        var report = await UntaggedCleaner.RunAsync(scenario.Request(new StringWriter(), dryRun: true) with { KeepNewestUntagged = 1 });

        // The newest orphan is the signature of an orphan (pushed last): it is kept and the rest would go.
        report.KeptNewest.Should().Be(1);
        report.Deleted.Should().HaveCount(scenario.Orphans.Count - 1);
        report.Deleted.Select(d => d.Digest).Should().NotContain(scenario.Orphans[^1]);
    }

    [SkippableFact]
    public async Task The_token_never_appears_in_output_report_or_errors()
    {
        await using var scenario = await CleanupScenario.StartAsync();
        scenario.Api.InjectFault("DELETE", FakeFault.SecondaryRateLimit);
        var log = new StringWriter();
        var reportPath = Path.Combine(Path.GetTempPath(), $"cleanup-{Guid.NewGuid():N}.json");

        var report = await UntaggedCleaner.RunAsync(scenario.Request(log) with { ReportPath = reportPath });
        var failure = await Record.ExceptionAsync(() => UntaggedCleaner.RunAsync(
            scenario.Request(log) with { Image = $"{scenario.Registry.Host}/{CleanupScenario.Owner}/no-such-package" }));

        report.Deleted.Should().NotBeEmpty();
        failure.Should().BeOfType<GhcrCleanupException>().Which.Message.Should().Contain("404");
        foreach (var text in new[] { log.ToString(), await File.ReadAllTextAsync(reportPath), report.ToJson(),
            report.ToSummaryTable(), failure!.ToString() })
            text.Should().NotContain(CleanupScenario.Token);
        File.Delete(reportPath);
    }

    [SkippableFact]
    public async Task More_than_one_page_of_versions_is_listed_completely()
    {
        await using var scenario = await CleanupScenario.StartAsync();
        for (var i = 0; i < 120; i++)
            scenario.Orphans.Add(scenario.Repository.List(await scenario.Repository.PushImageAsync($"bulk {i}"),
                TimeSpan.FromDays(3)).Digest);

        var report = await UntaggedCleaner.RunAsync(scenario.Request(new StringWriter(), dryRun: true));

        report.Versions.Should().Be(scenario.Api.Versions(CleanupScenario.Owner, scenario.Package).Count).And.BeGreaterThan(100);
        report.ListRequests.Should().Be(2);
        report.Deleted.Select(d => d.Digest).Should().BeEquivalentTo(scenario.Orphans);
    }

    [SkippableFact]
    public async Task Two_cleanups_at_once_delete_the_orphans_once_and_nothing_protected()
    {
        await using var scenario = await CleanupScenario.StartAsync();

        var reports = await Task.WhenAll(
            UntaggedCleaner.RunAsync(scenario.Request(new StringWriter())),
            UntaggedCleaner.RunAsync(scenario.Request(new StringWriter())));

        // Each orphan is deleted by exactly one of them; the other sees a 404 (a warning) or an unreadable candidate.
        reports.SelectMany(r => r.Deleted).Select(d => d.Digest).Should().BeEquivalentTo(scenario.Orphans);
        reports.Should().OnlyContain(r => r.Outcome == CleanupOutcome.Completed);
        scenario.Api.Versions(CleanupScenario.Owner, scenario.Package).Select(v => v.Digest).Should().Contain(scenario.ProtectedUntagged);
        await AssertEveryTagResolvesAsync(scenario);
    }

    [SkippableFact]
    public async Task Deletions_are_paced_to_the_configured_rate()
    {
        await using var scenario = await CleanupScenario.StartAsync();

        await UntaggedCleaner.RunAsync(scenario.Request(new StringWriter()) with { MaxDeletionsPerMinute = 600 });

        // 600 a minute: deletions start 100 ms apart however many workers run (10 % slack for arrival jitter).
        var times = scenario.Api.DeleteTimes.Order().ToList();
        times.Should().HaveCount(scenario.Orphans.Count);
        (times[^1] - times[0]).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(100 * (times.Count - 1) * 0.9));
    }

    [SkippableFact]
    public async Task A_version_id_beyond_int_is_kept_with_a_warning_not_truncated()
    {
        await using var scenario = await CleanupScenario.StartAsync();
        var huge = scenario.Api.AddVersion(CleanupScenario.Owner, scenario.Package, 3_000_000_000L,
            (await scenario.Repository.PushImageAsync("orphan with a 64-bit id")).Digest.ToString(), DateTimeOffset.UtcNow.AddDays(-3));

        var report = await UntaggedCleaner.RunAsync(scenario.Request(new StringWriter()));

        report.Deleted.Select(d => d.Digest).Should().BeEquivalentTo(scenario.Orphans);
        report.Warnings.Should().ContainSingle().Which.Should().StartWith($"Kept version 3000000000 ({huge.Digest}): " +
            "its id is beyond Octokit's int delete route");
        scenario.Api.Versions(CleanupScenario.Owner, scenario.Package).Should().Contain(huge);
    }

    /// <summary>skopeo (not our client) reads every tag and, recursively, every child manifest by digest.</summary>
    static async Task AssertEveryTagResolvesAsync(CleanupScenario scenario)
    {
        var repository = $"{scenario.Registry.Host}/{scenario.Repository.Repository}";
        var pending = new Stack<string>(scenario.Tags.Select(t => $"{repository}:{t}"));
        var resolved = 0;
        while (pending.TryPop(out var reference))
        {
            var raw = await Skopeo.InspectRawAsync(reference);
            resolved++;
            using var json = JsonDocument.Parse(raw);
            if (!json.RootElement.TryGetProperty("manifests", out var children)) continue;
            foreach (var child in children.EnumerateArray())
                pending.Push($"{repository}@{child.GetProperty("digest").GetString()}");
        }
        resolved.Should().BeGreaterThan(scenario.Tags.Count);
    }
}
