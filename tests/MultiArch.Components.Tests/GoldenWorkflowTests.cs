using MultiArch.Testing;
using MultiArch.Workflows;
using System.Runtime.CompilerServices;

namespace MultiArch.Components.Tests;

/// <summary>
/// The workflows real pipeline builds (<see cref="GoldenBuild"/>: MultiArchBuild, IMultiArchImage, IGitHubWorkflows)
/// generate, compared with reviewed files in Golden/. After an intended change, regenerate them with
/// <c>UPDATE_GOLDEN=1 dotnet test tests/MultiArch.Components.Tests --filter Category=Unit</c> and review the diff.
/// </summary>
[Trait("Category", "Unit")]
public sealed class GoldenWorkflowTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "release", "single image, two native platforms, dispatch and tags" },
        { "dev", "2-D matrix: images times platforms, one merge per image" },
        { "dev-extra-platform", "one image with extra platforms, one of them emulated" },
        { "pull-request", "pull_request only: builds, never pushes or merges" },
        { "main", "push and pull_request: publishing guarded per event" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generated_workflow_matches_its_golden_file(string file, string because)
    {
        _ = because; // the case's description, shown in the test name
        Approval.VerifyFile(Generate(file), GoldenPath(file));
    }

    [Fact]
    public void Every_job_caches_NuGet_packages_and_the_build_program_keyed_on_the_builds_inputs()
    {
        var yaml = Generate("dev");
        var jobs = System.Text.RegularExpressions.Regex.Matches(yaml, @"(?m)^    runs-on:").Count;
        System.Text.RegularExpressions.Regex.Matches(yaml, @"uses: actions/cache@v5\n").Count.Should()
            .Be(jobs, "each job restores the cache");
        yaml.Should().Contain("            ~/.nuget/packages\n            build/bin\n            .nuke/temp/build.stamp\n")
            .And.Contain("hashFiles('build/**', '!build/bin/**', '!build/obj/**'")
            .And.Contain("'**/*.csproj', 'Directory.Packages.props', 'Directory.Build.props', 'global.json')");
    }

    [Fact]
    public void Generation_is_deterministic()
    {
        Generate("dev").Should().Be(Generate("dev"));
    }

    [Fact]
    public void Every_emitted_action_is_in_the_table()
    {
        foreach (var file in Cases.Select(c => (string)c[0]))
            WorkflowReader.Read(Generate(file)).Jobs.Values.SelectMany(j => j.Steps).Select(s => s.Uses)
                .OfType<ActionReference>()
                .Should().OnlyContain(u => ActionVersions.Find(u) != null, $"golden {file} uses only tabled actions");
    }

    [Theory]
    [InlineData("release")]
    [InlineData("dev")]
    [InlineData("main")]
    public void Reading_a_generated_workflow_back_renders_the_same_text(string file)
    {
        var text = Generate(file);

        WorkflowRenderer.Render(WorkflowReader.Read(text), "the ReleaseBuild build").Should().Be(text.Replace("DevBuild", "ReleaseBuild"));
    }

    [Fact]
    public void A_run_narrowed_by_platform_or_image_still_generates_every_matrix_leg()
    {
        using var root = new TempDirectory();

        // --platform and --image narrow the pipeline's own axes (IMultiArchPipeline.AxisValues) for this invocation only.
        var run = WorkflowGeneration.Run<DevBuild>(root.Path, new Dictionary<string, string> { ["MULTIARCH_PLATFORM"] = "linux/amd64" },
            "GenerateWorkflows", "--platform", "linux/arm64", "--image", "web");

        run.ExitCode.Should().Be(0, run.ToString());
        var dev = File.ReadAllText(root.File(".github/workflows/dev.yml"));
        dev.Should().Be(Generate("dev"), "a matrix is what the build declares, not what one invocation narrowed it to");
        dev.Should().Contain("platform: linux/amd64").And.Contain("platform: linux/arm64").And.Contain("image: worker");
    }

    /// <summary>Every golden case, generated fresh.</summary>
    public static string Generate(string file) => file switch
    {
        "release" or "pull-request" or "main" => WorkflowGeneration.Generate<ReleaseBuild>(file),
        "dev" => WorkflowGeneration.Generate<DevBuild>(file),
        "dev-extra-platform" => WorkflowGeneration.Generate<ExtraPlatformBuild>(file),
        _ => throw new ArgumentException(file),
    };

    /// <summary>The resolved target graph of the build that generates <paramref name="file"/>.</summary>
    public static MultiArch.Build.TargetGraph Graph(string file) => file switch
    {
        "release" or "pull-request" or "main" => WorkflowGeneration.Load<ReleaseBuild>().Graph,
        "dev" => WorkflowGeneration.Load<DevBuild>().Graph,
        "dev-extra-platform" => WorkflowGeneration.Load<ExtraPlatformBuild>().Graph,
        _ => throw new ArgumentException(file),
    };

    public static string GoldenPath(string file, [CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(here)!, "Golden", file + ".yml");
}
