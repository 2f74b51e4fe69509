using MultiArch.Testing;
using MultiArch.Build;

namespace MultiArch.Workflows.Tests;

/// <summary>Runs a test build in-process against a temporary root, as <c>./build.sh</c> would.</summary>
public static class BuildHarness
{
    /// <summary>Runs the build with these arguments; returns the exit code and everything it printed.</summary>
    public static (int ExitCode, string Output) Run<T>(string root, bool ci = false, params string[] args) where T : TestBuild, new() =>
        Run<T>(root, ci ? new Dictionary<string, string> { ["CI"] = "true" } : [], args);

    /// <summary>Runs the build with this environment (instead of the test process's).</summary>
    public static (int ExitCode, string Output) Run<T>(string root, Dictionary<string, string> environment, params string[] args)
        where T : TestBuild, new()
    {
        var output = new StringWriter();
        var exit = TargetBuild.Execute<T>(args, new BuildRunOptions { Output = output, Environment = environment,
            RootDirectory = new AbsolutePath(root) });
        return (exit, output.ToString());
    }

    /// <summary>The resolved graph and the workflow definitions of a test build.</summary>
    public static (TargetGraph Graph, IReadOnlyList<WorkflowDefinition> Workflows) Load<T>() where T : TestBuild, new()
    {
        using var root = new TempDirectory();
        var (exit, output) = Run<T>(root.Path, args: "--help");
        if (exit != 0) throw new InvalidOperationException(output);
        var build = TestBuild.Last;
        return (build.Graph, build.Workflows.ToList());
    }

    /// <summary>Generates one workflow of a test build, as text.</summary>
    public static string Generate<T>(string fileName) where T : TestBuild, new()
    {
        var (graph, workflows) = Load<T>();
        return WorkflowRenderer.Render(JobGraphBuilder.Build(workflows.Single(w => w.FileName == fileName), graph),
            "the " + typeof(T).Name + " build");
    }
}
