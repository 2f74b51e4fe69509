using MultiArch.Build.Tests.Support;

namespace MultiArch.Build.Tests;

/// <summary>
/// A secret spanning several lines (a service-account JSON key, a PEM): the runner masks line by line, so every line
/// must be registered, each <c>::add-mask::</c> must stay one workflow command (escaped), and our own log must mask a
/// line of it printed on its own.
/// </summary>
[Trait("Category", "Unit")]
public sealed class MultiLineSecretTests : EngineTest
{
    const string Key = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC-100%-private";
    static readonly string Secret = "{\n \"type\": \"service_account\",\r\n \"private_key\": \"" + Key + "\"\n}";

    sealed class SecretBuild : TargetBuild
    {
        [Parameter("Registry password"), Secret] readonly string? RegistryPassword;

        Target Print => _ => _.Executes(() =>
        {
            foreach (var line in RegistryPassword!.Split('\n')) Log.Info($"line: {line.TrimEnd('\r')}");
            Log.Info($"whole: {RegistryPassword}");
        });
    }

    static IEnumerable<string> SecretLines => Secret.Split('\n').Select(l => l.Trim()).Where(l => l.Length >= 3);

    [Fact]
    public void Under_GitHub_Actions_every_line_is_masked_and_each_add_mask_is_one_escaped_command()
    {
        Environment["GITHUB_ACTIONS"] = "true";
        Environment["MULTIARCH_REGISTRY_PASSWORD"] = Secret;

        var result = Run<SecretBuild>("--plan", "Print");

        result.ExitCode.Should().Be(0, result.ToString());
        var lines = result.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var masks = lines
            .Where(l => l.StartsWith("::add-mask::", StringComparison.Ordinal))
            .Select(l => l["::add-mask::".Length..])
            .ToList();
        // What the runner registers: the unescaped value of each command.
        var registered = masks.Select(m => m.Replace("%0D", "\r").Replace("%0A", "\n").Replace("%25", "%")).ToList();
        registered.Should().Contain(SecretLines).And.Contain(Secret);
        masks.Should().OnlyContain(m => !m.Contains('\r') && !m.Contains('\n'));
        masks.Should().Contain(m => m.Contains("100%25-private"), "'%' is escaped as the workflow-command spec requires");
        // No other line holds any line of the secret.
        foreach (var line in lines.Where(l => !l.StartsWith("::add-mask::", StringComparison.Ordinal)))
            foreach (var secretLine in SecretLines)
                line.Should().NotContain(secretLine);
    }

    [Fact]
    public void A_line_of_a_multi_line_secret_printed_alone_is_masked_in_our_log()
    {
        var result = Run<SecretBuild>("Print", "--registry-password", Secret);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Output.Should().NotContain(Key).And.NotContain("service_account").And.Contain("line:  ***");
    }
}
