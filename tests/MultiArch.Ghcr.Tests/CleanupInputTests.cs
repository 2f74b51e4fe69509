namespace MultiArch.Ghcr.Tests;

[Trait("Category", "Unit")]
public sealed class CleanupInputTests
{
    const string Token = CleanupScenario.Token;

    [Fact]
    public async Task A_registry_other_than_ghcr_has_nothing_to_do()
    {
        var log = new StringWriter();

        var report = await UntaggedCleaner.RunAsync(new CleanupRequest { Image = "registry.example.com/acme/app",
            GitHubToken = Token, Log = log });

        report.Outcome.Should().Be(CleanupOutcome.NothingToDo);
        report.Reason.Should().Be("registry.example.com has no API that lists untagged manifests; " +
            "CleanupUntagged only cleans ghcr.io packages, so there is nothing to do.");
        report.Deleted.Should().BeEmpty();
    }

    [Theory]
    [InlineData("ghcr.io/acme", "x", "Image 'ghcr.io/acme' names no package: write registry/owner/package, e.g. ghcr.io/acme/app.")]
    [InlineData("ghcr.io/acme/app", "", "No GitHub token for CleanupUntagged: pass GITHUB_TOKEN (Actions: permissions: " +
        "packages: write) or the token parameter.")]
    public async Task Bad_input_is_one_line_naming_the_input_and_the_fix(string image, string token, string expected)
    {
        var error = await Record.ExceptionAsync(() => UntaggedCleaner.RunAsync(new CleanupRequest { Image = image, GitHubToken = token }));

        error.Should().BeOfType<GhcrCleanupException>().Which.Message.Should().Be(expected);
    }

    [Fact]
    public async Task A_404_on_list_explains_the_missing_scope_and_the_missing_admin_access()
    {
        await using var api = await FakeGitHubPackagesApi.StartAsync(Token);
        api.AddOwner("acme", organization: true);

        var error = await Record.ExceptionAsync(() => UntaggedCleaner.RunAsync(new CleanupRequest
        {
            Image = "127.0.0.1:9/acme/app", GitHubToken = Token, GitHubApiAddress = api.BaseAddress, DryRun = true,
        }));

        error.Should().BeOfType<GhcrCleanupException>().Which.Message.Should().Be(
            "GitHub answered 404 listing versions for package 'app' of 'acme': the package does not exist, the token lacks the " +
            "read:packages/delete:packages scope (in Actions: 'permissions: packages: write'), or the workflow's repository lacks " +
            "Admin access to package 'app' (package settings > Manage Actions access).");
    }

    [Fact]
    public async Task A_wrong_token_is_named_without_printing_it()
    {
        await using var api = await FakeGitHubPackagesApi.StartAsync(Token);
        const string wrong = "ghp_WRONGtoken0000000000000000000000";

        var error = await Record.ExceptionAsync(() => UntaggedCleaner.RunAsync(new CleanupRequest
        {
            Image = "127.0.0.1:9/acme/app", GitHubToken = wrong, GitHubApiAddress = api.BaseAddress, OwnerKind = OwnerKind.Organization,
        }));

        error.Should().BeOfType<GhcrCleanupException>().Which.Message.Should().Be(
            "GitHub rejected the token listing versions for package 'app' (401); " +
            "pass a valid token (GITHUB_TOKEN or the token parameter).");
        error!.ToString().Should().NotContain(wrong);
    }
}
