namespace MultiArch.Downstream.Tests;

// The README's "Use it in your repository" steps from an empty folder: template, vendored packages, git add -A, and a
// second clone in another folder that restores through nothing but the committed packages/ folder.
[Trait("Category", "Unit")]
[Collection(DownstreamCollection.Name)]
public sealed class TemplateRepositoryTests(DownstreamSample sample)
{
    static readonly Dictionary<string, string> None = new();

    [Fact]
    public async Task A_templated_repository_commits_no_build_output_and_a_fresh_clone_restores_from_its_vendored_packages()
    {
        var hive = Path.Combine(sample.Directory.FullName, "repository-hive");
        var repository = Directory.CreateDirectory(Path.Combine(sample.Directory.FullName, "templated-repository")).FullName;
        (await Run("git", ["init", "-q", "-b", "main"], repository)).ExitCode.Should().Be(0);
        (await Run("dotnet", ["new", "install", Path.Combine(sample.Feed, $"MultiArch.Templates.{sample.Version}.nupkg"), "--debug:custom-hive", hive], repository))
            .ExitCode.Should().Be(0);
        // No --multiarch-version: the template pins the version it was packed with.
        var create = await Run("dotnet", ["new", "multiarch", "--image", "acme/server", "--debug:custom-hive", hive], repository);
        create.ExitCode.Should().Be(0, create.Output);
        File.ReadAllText(Path.Combine(repository, "build", "_build.csproj"))
            .Should().Contain($"Include=\"MultiArch.Components\" Version=\"{sample.Version}\"", "the template pins its own version, not *-*");
        foreach (var package in Directory.GetFiles(sample.Feed, "MultiArch.*.nupkg").Where(p => !Path.GetFileName(p).StartsWith("MultiArch.Templates.")))
            File.Copy(package, Path.Combine(repository, "packages", Path.GetFileName(package)));

        // A first run leaves what every run leaves: build/bin, build/obj, .nuke/temp; and a publish leaves artifacts/.
        var help = await sample.RunIn(repository, ["--help"]);
        help.ExitCode.Should().Be(0, help.Output);
        help.Output.Should().Contain("--base-image", "the template declares the BASE_IMAGE its Dockerfile.base reads");
        Directory.CreateDirectory(Path.Combine(repository, "artifacts", "digests"));
        await File.WriteAllTextAsync(Path.Combine(repository, "artifacts", "digests", "app.json"), "{}");
        Directory.Exists(Path.Combine(repository, "build", "bin")).Should().BeTrue();
        Directory.Exists(Path.Combine(repository, ".nuke", "temp")).Should().BeTrue();

        (await Run("git", ["add", "-A"], repository)).ExitCode.Should().Be(0);
        var staged = (await Run("git", ["diff", "--cached", "--name-only"], repository)).Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        staged.Should().Contain(["build/Build.cs", "build/_build.csproj", "nuget.config", ".gitignore", "build.sh"])
            .And.Contain(p => p.StartsWith("packages/MultiArch.Components.") && p.EndsWith(".nupkg"), "the vendored packages are committed");
        staged.Should().NotContain(p => p.StartsWith("build/bin/") || p.StartsWith("build/obj/") || p.StartsWith(".nuke/temp/")
                                        || p.StartsWith("artifacts/") || p == ".nuke/build.schema.json");
        (await Run("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "MultiArch build"], repository))
            .ExitCode.Should().Be(0);

        // A runner's checkout: another folder, nothing but what was committed; restore must not need ~/multiarch.
        var clone = Path.Combine(sample.Directory.FullName, "elsewhere", "clone");
        (await Run("git", ["clone", "-q", repository, clone], sample.Directory.FullName)).ExitCode.Should().Be(0);
        var cloned = await sample.RunIn(clone, ["--plan", "MergeManifest"]);

        cloned.ExitCode.Should().Be(0, cloned.Output);
        cloned.Output.Should().NotContain("NU1301").And.Contain("MergeManifest");
        Directory.GetFiles(Path.Combine(clone, "build", "bin"), "MultiArch.Components.dll").Should().HaveCount(1, "the clone restored and compiled from packages/");
    }

    static Task<(int ExitCode, string Output)> Run(string file, string[] arguments, string directory) =>
        DownstreamSample.RunProcessAsync(file, arguments, directory, None);
}
