namespace MultiArch.Downstream.Tests;

// The README's first steps: `dotnet new multiarch` in an empty folder, a nuget.config for the feed, `./build.sh --help`.
[Trait("Category", "Unit")]
[Collection(DownstreamCollection.Name)]
public sealed class TemplateTests(DownstreamSample sample)
{
    [Fact]
    public async Task Dotnet_new_multiarch_in_an_empty_folder_gives_a_working_build_sh_help()
    {
        // A hive of its own: the developer's installed templates are neither used nor changed.
        var hive = Path.Combine(sample.Directory.FullName, "template-hive");
        var repository = Directory.CreateDirectory(Path.Combine(sample.Directory.FullName, "new-repository")).FullName;
        var package = Path.Combine(sample.Feed, $"MultiArch.Templates.{sample.Version}.nupkg");
        var none = new Dictionary<string, string>();

        var install = await DownstreamSample.RunProcessAsync("dotnet", ["new", "install", package, "--debug:custom-hive", hive], repository,
            none);
        install.ExitCode.Should().Be(0, install.Output);
        var create = await DownstreamSample.RunProcessAsync("dotnet",
            ["new", "multiarch", "--image", "acme/server", "--multiarch-version", sample.Version, "--debug:custom-hive", hive], repository,
                none);
        create.ExitCode.Should().Be(0, create.Output);
        await sample.WriteNuGetConfigAsync(repository);

        var (exit, output) = await sample.RunIn(repository, ["--help"]);

        exit.Should().Be(0, output);
        output.Should().MatchRegex(@"(?m)^\s+BuildBase\s").And.MatchRegex(@"(?m)^\s+\*\s+MergeManifest\s");
        File.ReadAllText(Path.Combine(repository, "build", "Build.cs")).Should().Contain("new(\"acme/server\")");
    }
}
