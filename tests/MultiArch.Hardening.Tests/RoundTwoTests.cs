using MultiArch.Ghcr.Tests;
using MultiArch.Oci;
using MultiArch.Testing;

namespace MultiArch.Hardening.Tests;

/// <summary>
/// Hardening, round two (issue 13): each defect driven through the command line (<see cref="CommandRun"/>, what
/// <c>./build.sh</c> runs) against real loopback services. Each test records its outcome for bench/results/reliability.md.
/// </summary>
[Trait("Category", "Registry"), Collection(ReliabilityCollection.Name)]
public sealed class RoundTwoTests
{
    // A service-account key as GitHub users paste it into MULTIARCH_REGISTRY_PASSWORD: several lines, a '%' in one of them.
    const string KeyMaterial = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7-100%-secret";
    static readonly string MultiLineSecret =
        "{\n \"type\": \"service_account\",\n \"private_key_id\": \"4f1c2a9e\",\n \"private_key\": \"" + KeyMaterial + "\"\n}";

    [SkippableFact]
    public async Task A_multi_line_registry_password_under_actions_is_masked_line_by_line()
    {
        using var run = new CommandRun();
        run.Environment["GITHUB_ACTIONS"] = "true";
        run.Environment["MULTIARCH_REGISTRY_PASSWORD"] = MultiLineSecret;

        await run.RunAsync("--plan", "MergeManifest");

        run.ExitCode.Should().Be(0, run.Output);
        var lines = run.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var masks = lines.Where(l => l.StartsWith("::add-mask::", StringComparison.Ordinal)).ToList();
        var secretLines = MultiLineSecret.Split('\n').Select(l => l.Trim()).Where(l => l.Length >= 3).ToList();
        var leaked = lines.Except(masks).Where(l => secretLines.Any(s => l.Contains(s, StringComparison.Ordinal))).ToList();
        leaked.Should().BeEmpty("no line but an ::add-mask:: command may hold a line of the secret");
        var registered = masks.Select(m => m["::add-mask::".Length..].Replace("%0D", "\r").Replace("%0A", "\n").Replace("%25", "%"))
            .ToList();
        registered.Should().Contain(secretLines).And.Contain(MultiLineSecret);
        Ledger.Notes.Enqueue($"Secrets: a {MultiLineSecret.Split('\n').Length}-line MULTIARCH_REGISTRY_PASSWORD under " +
            $"GITHUB_ACTIONS=true (`--plan MergeManifest`) gave {masks.Count} `::add-mask::` commands (the whole value escaped, and each " +
            $"line); {leaked.Count} lines of output held any line of it.");
    }

    [SkippableFact]
    public async Task Null_in_parameters_json_is_unset_so_the_default_version_is_published_not_null()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var registry = await RegistryProcess.StartAsync();
        using var client = registry.CreateClient();
        var image = await TestImages.PushImageAsync(client, "multiarch/hardening", Platform.LinuxAmd64, tag: "dev-amd64", seed: 13);
        using var run = new CommandRun();
        var digests = Path.Combine(run.Root, "digests");
        DigestDirectory.Write(digests, new DigestRecord(ImageReference.Parse($"{registry.Host}/multiarch/hardening"), image.Digest,
            Platform.LinuxAmd64, "dev-amd64"));
        run.WriteParameters("""{ "Version": null, "Registry": null, "ExtraTags": null }""");

        await run.RunAsync("MergeManifest", "--skip", "--registry", registry.Host, "--platform", "linux/amd64", "--digests-directory",
            digests);

        run.ExitCode.Should().Be(0, run.Output);
        var tags = await client.ListTagsAsync("multiarch/hardening");
        tags.Should().Contain("dev").And.NotContain("null").And.NotContain("null-amd64");
        Ledger.Notes.Enqueue($"Input: `{{\"Version\": null, \"Registry\": null}}` in .nuke/parameters.json is unset: the merge published " +
            $"{string.Join(", ", tags.Order(StringComparer.Ordinal))} (no `null` tag).");
    }

    const string Token = "ghp_ROUNDTWO0123456789abcdefTOKEN";

    /// <summary>
    /// A real registry and the GitHub API fake holding multiarch/hardening: one tagged index, <paramref name="orphans"/>
    /// old orphans pushed for real, and <paramref name="listedOnly"/> old versions that are only listed (unreadable, so kept).
    /// </summary>
    static async Task<(RegistryProcess Registry, FakeGitHubPackagesApi Api, RegistryClient Client)> CleanupServicesAsync(int orphans,
        int listedOnly = 0)
    {
        ServiceRequirement.Require(Service.Registry | Service.Skopeo);
        var registry = await RegistryProcess.StartAsync();
        var api = await FakeGitHubPackagesApi.StartAsync(Token);
        var client = registry.CreateClient();
        api.AddOwner("multiarch", organization: true);
        api.OnDeleted = (repository, digest) => client.DeleteManifestAsync(repository, Digest.Parse(digest));
        var repo = new TestRepository(client, api, "multiarch", "hardening");
        var (index, children) = await repo.PushMultiArchAsync("1.0", 3, Platform.LinuxAmd64, Platform.LinuxArm64);
        repo.List(index, TimeSpan.FromDays(2), "1.0");
        foreach (var child in children) repo.List(child, TimeSpan.FromDays(2));
        for (var i = 0; i < orphans; i++)
            repo.List(await repo.PushImageAsync($"orphan {i}", Platform.LinuxAmd64), TimeSpan.FromDays(3));
        for (var i = 0; i < listedOnly; i++)
            api.AddVersion("multiarch", "hardening", Digest.Compute(BitConverter.GetBytes(i)).ToString(),
                DateTimeOffset.UtcNow.AddDays(-3));
        return (registry, api, client);
    }

    static string[] Cleanup(RegistryProcess registry, FakeGitHubPackagesApi api) =>
        ["CleanupUntagged", "--skip", "--confirm", "--github-token", Token, "--github-api-url", api.BaseAddress.ToString(), "--registry",
            registry.Host];

    [SkippableFact]
    public async Task Cleanup_against_an_api_that_ignores_page_ends_instead_of_listing_forever()
    {
        var (registry, api, client) = await CleanupServicesAsync(orphans: 0, listedOnly: 150);
        await using var _r = registry;
        await using var _a = api;
        using var _c = client;
        api.IgnoresPage = true;
        using var run = new CommandRun();

        var cleanup = run.RunAsync(Cleanup(registry, api));
        var ended = await Task.WhenAny(cleanup, Task.Delay(TimeSpan.FromSeconds(60))) == cleanup;

        ended.Should().BeTrue($"{api.ListRequests} list requests and still listing");
        run.Output.Should().Contain("added no new versions").And.NotContain(Token);
        api.ListRequests.Should().BeLessThanOrEqualTo(2);
        Ledger.Notes.Enqueue("Cleanup: an API that ignores `page` and sends no `Link` header (150 versions) was listed in " +
            $"{api.ListRequests} requests, then stopped with a warning (exit {run.ExitCode}); before, it listed forever.");
    }

    [SkippableFact]
    public async Task Cleanup_whose_deletes_all_answer_404_fails_naming_the_admin_grant()
    {
        var (registry, api, client) = await CleanupServicesAsync(orphans: 3);
        await using var _r = registry;
        await using var _a = api;
        using var _c = client;
        api.InjectFault("DELETE", FakeFault.NotFound, count: 50);
        using var run = new CommandRun();

        await run.RunAsync(Cleanup(registry, api));

        run.ExitCode.Should().Be(1, run.Output);
        run.Output.Should().NotContain("Build succeeded").And.NotContain(Token);
        var error = run.Errors.Should().ContainSingle().Which;
        error.Should().Contain("404").And.Contain("Admin access").And.Contain("Manage Actions access");
        Ledger.Notes.Enqueue($"Cleanup: every DELETE answering 404 failed the run (exit {run.ExitCode}): " +
                             $"`{error.Replace(registry.Host, "127.0.0.1:PORT")}`");
    }

    [SkippableFact]
    public async Task Merging_1200_records_under_ulimit_1024_finishes()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var registry = await RegistryProcess.StartAsync();
        using var client = registry.CreateClient();
        var image = await TestImages.PushImageAsync(client, "multiarch/hardening", Platform.LinuxAmd64, tag: "1.0.0-amd64", seed: 12);
        var digests = Directory.CreateTempSubdirectory("multiarch-many-").FullName;
        try
        {
            // 1,200 downloaded artifacts of the same leg, each in its own folder as download-artifact leaves them.
            const int Records = 1200;
            for (var i = 0; i < Records; i++)
                DigestDirectory.Write(Path.Combine(digests, $"digests-hardening-amd64-{i:0000}"),
                    new DigestRecord(ImageReference.Parse($"{registry.Host}/multiarch/hardening"), image.Digest, Platform.LinuxAmd64,
                        "1.0.0-amd64"));
            var dll = Path.Combine(AppContext.BaseDirectory, "MultiArch.Bench.Reliability.dll");
            var start = new System.Diagnostics.ProcessStartInfo("bash",
                ["-c", "ulimit -n 1024 && exec dotnet \"$0\" merge \"$1\" multiarch/hardening 1.0.0 \"$2\"", dll, registry.Host, digests])
            { RedirectStandardOutput = true, RedirectStandardError = true };
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            using var child = System.Diagnostics.Process.Start(start)!;
            var stdout = child.StandardOutput.ReadToEndAsync();
            var stderr = child.StandardError.ReadToEndAsync();
            using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
                await child.WaitForExitAsync(timeout.Token);
            var output = await stdout + await stderr;

            child.ExitCode.Should().Be(0, output);
            (await client.HeadManifestAsync("multiarch/hardening", "1.0.0")).Should().NotBeNull();
            Ledger.Notes.Enqueue($"Concurrency: a merge of {Records} digest records under `ulimit -n 1024` finished in " +
                $"{stopwatch.Elapsed.TotalSeconds:0.0} s (reads bounded to {ManifestMerger.MaxConcurrentReads} at once); before, 1,101 " +
                "or more records aborted the process.");
        }
        finally
        {
            Directory.Delete(digests, recursive: true);
        }
    }
}
