using MultiArch.Testing;
namespace MultiArch.Workflows.Local.Tests;

/// <summary>The pieces of the local runner that mirror GitHub's semantics: expressions, command files, matrices and artifacts.</summary>
[Trait("Category", "Unit")]
public sealed class LocalRunnerPartsTests
{
    static WorkflowExpression Expression(bool failed = false) => new(new Dictionary<string, object?>
    {
        ["matrix"] = new Dictionary<string, object?> { ["platform"] = "linux/arm64", ["image-name"] = "web", ["emulated"] = "true" },
        ["github"] = new Dictionary<string, object?> { ["event_name"] = "pull_request" },
        ["needs"] = new Dictionary<string, object?>
        {
            ["build"] = new Dictionary<string, object?> { ["outputs"] = new Dictionary<string, object?> { ["version"] = "1.4.0" } },
        },
    }, fn => fn switch { "success" => !failed, "failure" => failed, "always" => true, _ => false });

    [Theory]
    [InlineData("./build.sh X --platform ${{ matrix.platform }}", "./build.sh X --platform linux/arm64")]
    [InlineData("${{ matrix['image-name'] }}-${{ needs.build.outputs.version }}", "web-1.4.0")]
    [InlineData("${{ matrix.missing }}|${{ format('{0}/{1}', 'a', matrix.image-name) }}", "|a/web")]
    public void Expressions_substitute_like_GitHub(string text, string expected)
    {
        Expression().Substitute(text).Should().Be(expected);
    }

    [Theory]
    [InlineData("github.event_name != 'pull_request'", false, false)]
    [InlineData("github.event_name == 'PULL_REQUEST'", false, true)]
    [InlineData("matrix.emulated", false, true)]
    [InlineData("${{ startsWith(matrix.platform, 'linux/arm') && !contains(matrix.platform, 'v7') }}", false, true)]
    [InlineData(null, true, false)]
    [InlineData("always()", true, true)]
    [InlineData("failure() || matrix.emulated", true, true)]
    public void Conditions_follow_GitHubs_rules_including_the_implied_success(string? condition, bool failed, bool expected)
    {
        Expression(failed).Condition(condition).Should().Be(expected);
    }

    [Fact]
    public void An_unsupported_expression_is_named_with_its_column()
    {
        var evaluate = () => Expression().Evaluate("matrix.platform ==");

        evaluate.Should().Throw<WorkflowDefinitionException>()
            .WithMessage("Expression 'matrix.platform ==' cannot be evaluated: expected a name at column 19.");
    }

    [Fact]
    public void Command_files_read_single_and_multi_line_values()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("out"), "version=1.2.3\nnotes<<EOF\nline one\nline=two\nEOF\nempty=\n");

        GitHubFileCommands.Read(folder.File("out")).Should().Equal(
            KeyValuePair.Create("version", "1.2.3"), KeyValuePair.Create("notes", "line one\nline=two"), KeyValuePair.Create("empty", ""));
    }

    [Fact]
    public void Matrix_include_extends_matching_legs_and_adds_the_rest()
    {
        var strategy = new JobStrategy { Axes = { ["os"] = ["linux"], ["platform"] = ["amd64", "arm64"] } };
        strategy.Include.Add(new() { ["platform"] = "arm64", ["runner"] = "arm" });
        strategy.Include.Add(new() { ["platform"] = "riscv64", ["runner"] = "qemu" });

        MatrixExpansion.Legs(strategy).Select(l => string.Join(" ", l.Select(e => $"{e.Key}={e.Value}"))).Should().Equal(
            "os=linux platform=amd64", "os=linux platform=arm64 runner=arm", "platform=riscv64 runner=qemu");
    }

    [Fact]
    public void Artifacts_follow_name_pattern_and_merge_multiple()
    {
        using var folder = new TempDirectory();
        var store = new LocalArtifactStore(folder.File("store"));
        foreach (var (name, file) in new[] { ("digests-web-amd64", "a1"), ("digests-web-arm64", "a2"), ("digests-api-amd64", "b1") })
        {
            Directory.CreateDirectory(folder.File($"src/{file}"));
            File.WriteAllText(folder.File($"src/{file}/{file}"), file);
            store.Upload(new Dictionary<string, string> { ["name"] = name, ["path"] = $"src/{file}/*" }, folder.Path);
        }

        store.Download(new Dictionary<string, string> { ["pattern"] = "digests-web-*", ["path"] = "merged", ["merge-multiple"] = "true" },
            folder.Path);
        store.Download(new Dictionary<string, string> { ["pattern"] = "digests-*", ["path"] = "separate" }, folder.Path);

        Directory.GetFiles(folder.File("merged")).Select(Path.GetFileName).Should().BeEquivalentTo(["a1", "a2"]);
        Directory.GetDirectories(folder.File("separate")).Select(Path.GetFileName).Should()
            .BeEquivalentTo(["digests-web-amd64", "digests-web-arm64", "digests-api-amd64"]);
        var missing = () => store.Upload(new Dictionary<string, string> { ["name"] = "x", ["path"] = "nothing/*",
            ["if-no-files-found"] = "error" }, folder.Path);
        missing.Should().Throw<LocalStepException>().WithMessage("upload-artifact 'x': no files found at nothing/* (if-no-files-found: " +
            "error).");
    }
}
