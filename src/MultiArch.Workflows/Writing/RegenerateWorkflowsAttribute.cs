using MultiArch.Build;

namespace MultiArch.Workflows;

/// <summary>
/// Regenerates the workflows at the start of every local run when the definitions changed them: in-process, no
/// prompt. Skipped in CI (where <c>CheckWorkflows</c> guards instead) and when the run itself generates or checks.
/// </summary>
public sealed class RegenerateWorkflowsAttribute : BuildExtensionAttribute
{
    /// <inheritdoc />
    public override int Priority => 100; // after parameter-related extensions; nothing depends on it

    /// <inheritdoc />
    public override void OnStarting(TargetBuild build, TargetGraph graph, IReadOnlyList<ExecutableTarget> plan)
    {
        if (build.IsCI || build is not IGitHubWorkflows workflows) return;
        if (plan.Any(t => t.Name is nameof(IGitHubWorkflows.GenerateWorkflows) or nameof(IGitHubWorkflows.CheckWorkflows))) return;
        IReadOnlyList<string> written;
        try { written = WorkflowWriter.Write(build.RootDirectory, graph, workflows.Workflows, IGitHubWorkflows.WorkflowSource(build)); }
        catch (WorkflowDefinitionException e)
        {
            // A broken definition should not block unrelated local work; GenerateWorkflows and CheckWorkflows fail on it.
            build.Log.Warn($"Workflows not regenerated: {e.Message}");
            return;
        }
        if (written.Count > 0) build.Log.Info($"Regenerated {string.Join(", ", written)} (the workflow definitions changed); commit them with your change.");
    }
}
