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
}
