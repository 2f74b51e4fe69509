using MultiArch.Docker;
using MultiArch.Testing;

namespace MultiArch.Components.Tests;

// Every run tags its base stage anew (<repository>-base:<version>-<arch>-<revision>-<run>); CleanupBaseTags keeps
// the local engine at --keep-base-tags per image and platform, this run's first, even when a later target fails.
[Trait("Category", "Docker")]
public sealed class BaseTagCleanupTests
{
    const Service Needs = Service.Docker | Service.Registry;

    [SkippableFact]
    public async Task A_run_keeps_the_newest_base_tags_of_its_platform_and_says_how_many_it_removed()
    {
        ServiceRequirement.Require(Needs);
        await using var sandbox = await PipelineSandbox.StartAsync();
        var repository = $"{sandbox.Registry.Host}/{PipelineSandbox.RepositoryPath}-base";
        string Tag(string arch, string run) => $"{sandbox.Version}-{arch}-{sandbox.Revision[..7]}-{run}";
        var first = await sandbox.RunAsync(["BuildApp", "--image-platforms", "linux/amd64", "--keep-base-tags", "5"], Run("1001"));
        first.ExitCode.Should().Be(0, first.ToString());
        first.Output.Should().Contain($"{repository} linux/amd64: removed 0 base tag(s), kept 1 (--keep-base-tags 5).");
        // Earlier runs' leftovers: two more of this platform, and one of another platform that this lane never touches.
        var cli = await DockerCli.LocateAsync();
        foreach (var (arch, run) in new[] { ("amd64", "0998"), ("amd64", "0999"), ("arm64", "0997") })
            await cli.TagAsync($"{repository}:{Tag("amd64", "1001")}", $"{repository}:{Tag(arch, run)}");

        var second = await sandbox.RunAsync(["BuildApp", "--image-platforms", "linux/amd64"], Run("1002"));

        second.ExitCode.Should().Be(0, second.ToString());
        second.Output.Should().Contain($"{repository} linux/amd64: removed 2 base tag(s), kept 2 (--keep-base-tags 2).");
        // The same image under every tag, so the order after this run's own is the tag's: run 1001 before 0999 and 0998.
        (await LocalTagsAsync(cli, repository)).Should().BeEquivalentTo(Tag("amd64", "1002"), Tag("amd64", "1001"), Tag("arm64", "0997"));
    }

    [SkippableFact]
    public async Task The_cleanup_runs_after_a_failed_app_build_and_removes_this_runs_base_tag()
    {
        ServiceRequirement.Require(Needs);
        await using var sandbox = await PipelineSandbox.StartAsync();
        var repository = $"{sandbox.Registry.Host}/{PipelineSandbox.RepositoryPath}-base";
        var app = sandbox.Folder("failing-app");
        File.Copy(RepositoryRoot.HelloExample / "Dockerfile.base", app / "Dockerfile.base");
        File.WriteAllText(app / "Dockerfile", "ARG HELLO_BASE_TAG\nFROM ${HELLO_BASE_TAG}\nRUN echo app step fails && exit 3\n");

        var run = await sandbox.RunAsync(
            ["BuildApp", "--image-platforms", "linux/amd64", "--app-directory", app, "--keep-base-tags", "0"], Run("2001"));

        run.ExitCode.Should().Be(1, run.ToString());
        run.Output.Should().Contain("Building " + repository)
            .And.Contain($"{repository} linux/amd64: removed 1 base tag(s), kept 0 (--keep-base-tags 0).");
        (await LocalTagsAsync(await DockerCli.LocateAsync(), repository)).Should().BeEmpty();
    }

    // GITHUB_RUN_ID is the run part of the tag, as in Actions; fixed here so the test knows every tag.
    static Dictionary<string, string> Run(string id) => new() { ["GITHUB_RUN_ID"] = id };

    static async Task<IReadOnlyList<string>> LocalTagsAsync(DockerCli cli, string repository) =>
        (await cli.ExecuteAsync("docker image ls", ["image", "ls", repository, "--format", "{{.Tag}}"], null))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
