using MultiArch.Build;
using MultiArch.Testing;
using MultiArch.Workflows;

namespace MultiArch.Components.Tests;

/// <summary>
/// A build run in this process against a temporary root, as <c>./build.sh</c> would, with an empty environment (so the
/// test machine's CI or GITHUB_ variables change nothing): what GenerateWorkflows writes, without Docker.
/// </summary>
public static class WorkflowGeneration
{
    /// <summary>Runs the build in <paramref name="root"/> with these arguments and only this environment.</summary>
    public static PipelineRun Run<T>(string root, IReadOnlyDictionary<string, string>? environment, params string[] args)
        where T : TargetBuild, new()
    {
        var output = new StringWriter();
        var exit = TargetBuild.Execute<T>(args, new BuildRunOptions
        {
            Output = output, RootDirectory = new AbsolutePath(root),
            Environment = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()),
        });
        return new PipelineRun(exit, output.ToString());
    }

    /// <summary>The text <c>./build.sh GenerateWorkflows</c> writes to <c>.github/workflows/&lt;file&gt;.yml</c>.</summary>
    public static string Generate<T>(string file) where T : TargetBuild, new()
    {
        using var root = new TempDirectory("multiarch-gen-");
        var run = Run<T>(root.Path, null, "GenerateWorkflows");
        run.ExitCode.Should().Be(0, run.ToString());
        return File.ReadAllText(root.File(Path.Combine(".github", "workflows", file + ".yml")));
    }

    /// <summary>The generated workflow, read back into the model.</summary>
    public static Workflow Read<T>(string file) where T : TargetBuild, new() =>
        WorkflowReader.Read(Generate<T>(file), file);

    /// <summary>The resolved graph and the workflow definitions of a golden build.</summary>
    public static (TargetGraph Graph, IReadOnlyList<WorkflowDefinition> Workflows) Load<T>() where T : GoldenBuild, new()
    {
        using var root = new TempDirectory("multiarch-gen-");
        var run = Run<T>(root.Path, null, "--help");
        run.ExitCode.Should().Be(0, run.ToString());
        var build = GoldenBuild.Last;
        return (build.Graph, build.Workflows.ToList());
    }
}
