using MultiArch.Testing;

namespace MultiArch.Downstream.Tests;

// The README's "Use it in your repository" steps from an empty folder: template, vendored packages, git add -A, and a
// second clone in another folder that restores through nothing but the committed packages/ folder.
[Collection(DownstreamCollection.Name)]
public sealed class TemplateRepositoryTests(DownstreamSample sample)
{
    static readonly Dictionary<string, string> None = new();

    [Fact]
    [Trait("Category", "Unit")]
    public async Task A_templated_repository_commits_no_build_output_and_a_fresh_clone_restores_from_its_vendored_packages()
    {
        var clone = await CloneTemplatedRepositoryAsync("unit");
        var cloned = await sample.RunIn(clone, ["--plan", "MergeManifest"]);

        cloned.ExitCode.Should().Be(0, cloned.Output);
        cloned.Output.Should().NotContain("NU1301").And.Contain("MergeManifest");
        Directory.GetFiles(Path.Combine(clone, "build", "bin"), "MultiArch.Components.dll").Should()
            .HaveCount(1, "the clone restored and compiled from packages/");
    }

    [SkippableFact]
    [Trait("Category", "Docker")]
    public async Task A_fresh_clone_of_a_templated_repository_publishes_and_runs_its_release_workflow_locally()
    {
        ServiceRequirement.Require(Service.Docker | Service.Qemu | Service.Registry);
        var clone = await CloneTemplatedRepositoryAsync("published");
        // The clone publishes (a loopback registry of its own), then runs its generated release workflow locally.
        await using var registry = await RegistryProcess.StartAsync();
        var version = "t" + Guid.NewGuid().ToString("N")[..10];
        var baseImage = new Dictionary<string, string> { ["MULTIARCH_BASE_IMAGE"] = "127.0.0.1:5000/multiarch/busybox:1.35" };
        var merge = await sample.RunIn(clone, ["MergeManifest", "--registry", registry.Host, "--version", version], baseImage);
        merge.ExitCode.Should().Be(0, merge.Output);
        merge.Output.Should().Contain($"{registry.Host}/acme/server:{version}@sha256:");

        (await sample.RunIn(clone, ["GenerateWorkflows"])).ExitCode.Should().Be(0);
        var release = await File.ReadAllTextAsync(Path.Combine(clone, ".github", "workflows", "release.yml"));
        release.Should().Contain("CleanupUntagged").And.Contain("GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}'");
        const string token = "local-test-token-1f2e3d";
        var run = await sample.RunIn(clone, ["RunWorkflowLocally", "--local-workflow", "release", "--local-event", "push",
            "--local-env", $"MULTIARCH_REGISTRY={registry.Host}", $"MULTIARCH_BASE_IMAGE={baseImage["MULTIARCH_BASE_IMAGE"]}"],
            new Dictionary<string, string> { ["GITHUB_TOKEN"] = token });
        run.ExitCode.Should().Be(0, run.Output);
        run.Output.Should().Contain("CleanupUntagged", "the merge job runs the cleanup with its token")
            .And.NotContain(token, "the token is masked in every line");

        // PR mode: the user's target, inserted between two of ours, runs in every leg of the pull-request workflow,
        // against the job's throwaway registry service; the registry the release published to is left as it was.
        await InsertSmokeTestAsync(clone);
        (await sample.RunIn(clone, ["GenerateWorkflows"])).ExitCode.Should().Be(0);
        var before = await RegistrySnapshot.TakeAsync(registry);
        var pr = await sample.RunIn(clone, ["RunWorkflowLocally", "--local-workflow", "pull-request", "--local-event", "pull_request",
            "--local-env", $"MULTIARCH_BASE_IMAGE={baseImage["MULTIARCH_BASE_IMAGE"]}"], None);
        pr.ExitCode.Should().Be(0, pr.Output);
        pr.Output.Should().Contain("Service registry (registry:3): modelled by")
            .And.Contain("SmokeTest ran for 127.0.0.1:").And.Contain("/acme/server:")
            .And.NotContain("docker/login-action");
        System.Text.RegularExpressions.Regex.Matches(pr.Output, "SmokeTest ran for ").Count.Should().Be(2, "one per leg: amd64 and arm64");
        (await RegistrySnapshot.TakeAsync(registry)).Should().Equal(before, "a pull request publishes nothing");
    }

    // What the README's "Add a step of yours" shows, in its smallest form: a line per pushed per-arch image, per leg.
    static async Task InsertSmokeTestAsync(string repository)
    {
        var file = Path.Combine(repository, "build", "Build.cs");
        var source = await File.ReadAllTextAsync(file);
        const string anchor = "    // ./build.sh GenerateWorkflows";
        source.Should().Contain(anchor);
        await File.WriteAllTextAsync(file, source.Replace(anchor, """
                Target SmokeTest => _ => _
                    .DependsOn<IPushArch>().DependentFor<IExportDigest>()
                    .PartitionedBy(IMultiArchPipeline.ImageAxis, IMultiArchPipeline.PlatformAxis)
                    .Executes(partition =>
                    {
                        var pipeline = (IMultiArchPipeline)this;
                        var (image, platform) = pipeline.Resolve(partition);
                        Log.Info($"SmokeTest ran for {pipeline.ArchReference(image, platform)}");
                    });

            """ + anchor));
    }

    // The README's steps: template (no --multiarch-version), vendored packages, a first run, git add -A, commit, clone
    // elsewhere. Asserts what every step must give; returns the clone.
    async Task<string> CloneTemplatedRepositoryAsync(string name)
    {
        var hive = Path.Combine(sample.Directory.FullName, $"{name}-hive");
        var repository = Directory.CreateDirectory(Path.Combine(sample.Directory.FullName, $"{name}-repository")).FullName;
        (await Run("git", ["init", "-q", "-b", "main"], repository)).ExitCode.Should().Be(0);
        (await Run("dotnet", ["new", "install", Path.Combine(sample.Feed, $"MultiArch.Templates.{sample.Version}.nupkg"),
            "--debug:custom-hive", hive], repository))
            .ExitCode.Should().Be(0);
        // No --multiarch-version: the template pins the version it was packed with.
        var create = await Run("dotnet", ["new", "multiarch", "--image", "acme/server", "--debug:custom-hive", hive], repository);
        create.ExitCode.Should().Be(0, create.Output);
        File.ReadAllText(Path.Combine(repository, "build", "_build.csproj"))
            .Should().Contain($"Include=\"MultiArch.Components\" Version=\"{sample.Version}\"",
                "the template pins its own version, not *-*");
        foreach (var package in Directory.GetFiles(sample.Feed, "MultiArch.*.nupkg")
            .Where(p => !Path.GetFileName(p).StartsWith("MultiArch.Templates.")))
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
            .And.Contain(p => p.StartsWith("packages/MultiArch.Components.") && p.EndsWith(".nupkg"),
                "the vendored packages are committed");
        staged.Should().NotContain(p => p.StartsWith("build/bin/") || p.StartsWith("build/obj/") || p.StartsWith(".nuke/temp/")
                                        || p.StartsWith("artifacts/") || p == ".nuke/build.schema.json");
        (await Run("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "MultiArch build"], repository))
            .ExitCode.Should().Be(0);

        // A runner's checkout: another folder, nothing but what was committed; restore must not need ~/multiarch.
        var clone = Path.Combine(sample.Directory.FullName, $"{name}-elsewhere", "clone");
        (await Run("git", ["clone", "-q", repository, clone], sample.Directory.FullName)).ExitCode.Should().Be(0);
        return clone;
    }

    static Task<(int ExitCode, string Output)> Run(string file, string[] arguments, string directory) =>
        DownstreamSample.RunProcessAsync(file, arguments, directory, None);
}
