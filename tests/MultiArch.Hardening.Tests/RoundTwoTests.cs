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
    // A service-account key as GitHub users paste it into REGISTRY_PASSWORD: several lines, a '%' in one of them.
    const string KeyMaterial = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7-100%-secret";
    static readonly string MultiLineSecret =
        "{\n \"type\": \"service_account\",\n \"private_key_id\": \"4f1c2a9e\",\n \"private_key\": \"" + KeyMaterial + "\"\n}";

    [SkippableFact]
    public async Task A_multi_line_registry_password_under_actions_is_masked_line_by_line()
    {
        using var run = new CommandRun();
        run.Environment["GITHUB_ACTIONS"] = "true";
        run.Environment["REGISTRY_PASSWORD"] = MultiLineSecret;

        await run.RunAsync("--plan", "MergeManifest");

        run.ExitCode.Should().Be(0, run.Output);
        var lines = run.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var masks = lines.Where(l => l.StartsWith("::add-mask::", StringComparison.Ordinal)).ToList();
        var secretLines = MultiLineSecret.Split('\n').Select(l => l.Trim()).Where(l => l.Length >= 3).ToList();
        var leaked = lines.Except(masks).Where(l => secretLines.Any(s => l.Contains(s, StringComparison.Ordinal))).ToList();
        leaked.Should().BeEmpty("no line but an ::add-mask:: command may hold a line of the secret");
        var registered = masks.Select(m => m["::add-mask::".Length..].Replace("%0D", "\r").Replace("%0A", "\n").Replace("%25", "%")).ToList();
        registered.Should().Contain(secretLines).And.Contain(MultiLineSecret);
        Ledger.Notes.Enqueue($"Secrets: a {MultiLineSecret.Split('\n').Length}-line REGISTRY_PASSWORD under GITHUB_ACTIONS=true (`--plan MergeManifest`) " +
                             $"gave {masks.Count} `::add-mask::` commands (the whole value escaped, and each line); {leaked.Count} lines of output held any line of it.");
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
        DigestDirectory.Write(digests, new DigestRecord($"{registry.Host}/multiarch/hardening", image.Digest, Platform.LinuxAmd64, "dev-amd64"));
        run.WriteParameters("""{ "Version": null, "Registry": null, "ExtraTags": null }""");

        await run.RunAsync("MergeManifest", "--skip", "--registry", registry.Host, "--platform", "linux/amd64", "--digests-directory", digests);

        run.ExitCode.Should().Be(0, run.Output);
        var tags = await client.ListTagsAsync("multiarch/hardening");
        tags.Should().Contain("dev").And.NotContain("null").And.NotContain("null-amd64");
        Ledger.Notes.Enqueue($"Input: `{{\"Version\": null, \"Registry\": null}}` in .nuke/parameters.json is unset: the merge published {string.Join(", ", tags.Order(StringComparer.Ordinal))} (no `null` tag).");
    }
}
