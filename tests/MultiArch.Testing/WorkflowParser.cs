using System.Diagnostics;

namespace MultiArch.Testing;

/// <summary>GitHub's own workflow parser (<c>.ci/workflow-parser/validate.mjs</c> around <c>@actions/workflow-parser</c>).</summary>
public static class WorkflowParser
{
    /// <summary>Validates workflow files; skips (or fails under CI=true) when node or the parser package is missing.</summary>
    public static (int ExitCode, string Output) Validate(params string[] files)
    {
        ServiceRequirement.Require(Service.Node | Service.WorkflowParser);
        var folder = ServiceRequirement.WorkflowParserFolder()!;
        var start = new ProcessStartInfo("node", [Path.Combine(folder, "validate.mjs"), .. files]) { RedirectStandardOutput = true,
            RedirectStandardError = true };
        using var node = Process.Start(start)!;
        var stderr = node.StandardError.ReadToEndAsync();
        var stdout = node.StandardOutput.ReadToEnd();
        node.WaitForExit();
        return (node.ExitCode, stdout + stderr.Result);
    }
}
