namespace MultiArch.Workflows.Local.Tests;

/// <summary>RunWorkflowLocally's typed parameters: --local-event and --local-env are parsed once, into their types.</summary>
[Trait("Category", "Unit")]
public sealed class LocalRunParameterTests
{
    [Theory]
    [InlineData("workflow_dispatch", "refs/heads/main")]
    [InlineData("push", "refs/heads/main")]
    [InlineData("pull_request", "refs/pull/1/merge")]
    [InlineData("schedule", "refs/heads/main")]
    public void Each_simulated_event_parses_and_carries_its_ref(string name, string gitRef)
    {
        var parsed = GitHubEvent.Parse(name);

        parsed.Name.Should().Be(name);
        parsed.Ref.Should().Be(gitRef);
        parsed.Should().Be(GitHubEvent.Parse(name), "two parses of one name are equal");
    }

    [Theory]
    [InlineData("pull")]
    [InlineData("Push")]
    [InlineData("")]
    public void Another_event_name_is_refused_with_the_list(string name)
    {
        FluentActions.Invoking(() => GitHubEvent.Parse(name)).Should().Throw<FormatException>()
            .WithMessage($"'{name}' is not an event a local run simulates; use one of workflow_dispatch, push, pull_request, schedule.");
    }

    [Theory]
    [InlineData("MULTIARCH_REGISTRY=127.0.0.1:5000", "MULTIARCH_REGISTRY", "127.0.0.1:5000")]
    [InlineData("EMPTY=", "EMPTY", "")]
    [InlineData("ARGS=a=b", "ARGS", "a=b")]
    public void An_override_splits_at_its_first_equals_sign(string text, string name, string value)
    {
        EnvironmentOverride.Parse(text).Should().Be(new EnvironmentOverride(name, value));
    }

    [Theory]
    [InlineData("MULTIARCH_REGISTRY")]
    [InlineData("=127.0.0.1:5000")]
    public void An_override_without_a_key_and_equals_sign_is_refused_with_the_form(string text)
    {
        FluentActions.Invoking(() => EnvironmentOverride.Parse(text)).Should().Throw<FormatException>()
            .WithMessage($"'{text}' is not KEY=VALUE; write e.g. MULTIARCH_REGISTRY=127.0.0.1:5000.");
    }

    [Fact]
    public void A_name_given_twice_keeps_its_last_value()
    {
        EnvironmentOverride.ToDictionary([new("A", "1"), new("B", "2"), new("A", "3")])
            .Should().Equal(new Dictionary<string, string> { ["A"] = "3", ["B"] = "2" });
    }
}
