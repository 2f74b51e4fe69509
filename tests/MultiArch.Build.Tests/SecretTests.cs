using MultiArch.Build.Tests.Support;

namespace MultiArch.Build.Tests;

[Trait("Category", "Unit")]
public sealed class SecretTests : EngineTest
{
    const string Token = "s3cr3t-t0ken-value";

    sealed class SecretBuild : TargetBuild
    {
        [Parameter("Registry password"), Secret] readonly string? Password;

        Target Print => _ => _.Executes(() => Log.Info($"logging in with {Password}"));
        Target Throw => _ => _.Executes(
            () => throw new InvalidOperationException($"login rejected for {Password}\nsecond line {Password}"));
    }

    [Fact]
    public void A_secret_logged_by_a_target_is_masked()
    {
        var result = Run<SecretBuild>("Print", "--password", Token);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Output.Should().Contain("logging in with ***").And.NotContain(Token);
    }

    [Fact]
    public void A_secret_in_a_failure_message_is_masked_in_the_error_and_the_summary()
    {
        Environment["MULTIARCH_PASSWORD"] = Token;

        var result = Run<SecretBuild>("Throw", "--verbose");

        result.ExitCode.Should().Be(1);
        result.Output.Should().Contain("login rejected for ***").And.NotContain(Token);
        result.SummaryRow("Throw").Should().Contain("login rejected for ***");
        result.Output.Should().Contain(
            "Password = *** (from env MULTIARCH_PASSWORD)", "the value taken from the environment is shown, masked");
    }

    [Fact]
    public void A_secret_from_parameters_json_is_masked_and_never_shown_as_a_default()
    {
        WriteParametersJson($$"""{ "Password": "{{Token}}" }""");

        var run = Run<SecretBuild>("Print");
        var help = Run<SecretBuild>("--help");

        run.Output.Should().NotContain(Token);
        help.Output.Should().NotContain(Token).And.Contain("secret");
    }

    [Fact]
    public void A_secret_in_a_bad_value_error_is_masked()
    {
        var result = Run<SecretBuild>("Print", "--password", Token, Token);

        result.ExitCode.Should().Be(1);
        result.Output.Should().Contain("--password (from command line): expects one value").And.NotContain(Token);
    }

    [Fact]
    public void Under_GitHub_Actions_a_secret_is_registered_with_add_mask()
    {
        Environment["GITHUB_ACTIONS"] = "true";

        var result = Run<SecretBuild>("Print", "--password", Token);

        result.Output.Split('\n').Should().Contain($"::add-mask::{Token}");
        result.Output.Replace($"::add-mask::{Token}", "").Should().NotContain(Token);
    }
}
