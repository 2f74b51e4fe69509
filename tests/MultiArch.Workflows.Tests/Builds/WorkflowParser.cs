using System.Diagnostics;
using MultiArch.Testing;

namespace MultiArch.Workflows.Tests;

/// <summary>GitHub's own workflow parser (<c>.ci/workflow-parser/validate.mjs</c> around <c>@actions/workflow-parser</c>).</summary>
public static class WorkflowParser
{
    /// <summary>Validates workflow files; skips (or fails under CI=true) when node or the parser package is missing.</summary>
    public static (int ExitCode, string Output) Validate(params string[] files)
    {
        ServiceRequirement.Require(Service.Node | Service.WorkflowParser);
        var folder = Path.Combine(RepositoryRoot(), ".ci", "workflow-parser");
        var start = new ProcessStartInfo("node", [Path.Combine(folder, "validate.mjs"), .. files]) { RedirectStandardOutput = true,
            RedirectStandardError = true };
        using var node = Process.Start(start)!;
        var stderr = node.StandardError.ReadToEndAsync();
        var stdout = node.StandardOutput.ReadToEnd();
        node.WaitForExit();
        return (node.ExitCode, stdout + stderr.Result);
    }

    /// <summary>The repository root (the folder holding .ci/workflow-parser), found upwards from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, ".ci", "workflow-parser", "validate.mjs"))) return dir.FullName;
        throw new InvalidOperationException("No .ci/workflow-parser/validate.mjs above " + AppContext.BaseDirectory);
    }
}
