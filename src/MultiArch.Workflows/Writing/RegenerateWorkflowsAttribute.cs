using MultiArch.Build;

namespace MultiArch.Workflows;

/// <summary>
/// Regenerates the workflows at the start of every local run when the definitions changed them: in-process, no
/// prompt. A file that may hold hand edits (its content hash no longer matches, or it has none) is left as it is,
/// with a warning; in CI, where nothing is written (<c>CheckWorkflows</c> guards staleness), a hand-edited workflow
/// fails the run. Skipped when the run itself generates or checks.
/// </summary>
public sealed class RegenerateWorkflowsAttribute : BuildExtensionAttribute
{
    /// <inheritdoc />
    public override int Priority => 100; // after parameter-related extensions; nothing depends on it

    /// <inheritdoc />
    public override void OnStarting(TargetBuild build, TargetGraph graph, IReadOnlyList<ExecutableTarget> plan)
    {
        if (build is not IGitHubWorkflows workflows) return;
        if (plan.Any(t => t.Name is nameof(IGitHubWorkflows.GenerateWorkflows) or nameof(IGitHubWorkflows.CheckWorkflows))) return;
        if (build.IsCI)
        {
            FailOnHandEdits(build, workflows);
            return;
        }
        IReadOnlyList<WorkflowFile> files;
        try { files = WorkflowWriter.Compare(build.RootDirectory, graph, workflows.Workflows, IGitHubWorkflows.WorkflowSource(build)); }
        catch (WorkflowDefinitionException e)
        {
            // A broken definition should not block unrelated local work; GenerateWorkflows and CheckWorkflows fail on it.
            build.Log.Warn($"Workflows not regenerated: {e.Message}");
            return;
        }
        foreach (var kept in files.Where(f => f.MayHoldEdits)) build.Log.Warn(kept.EditsWarning);
        var written = WorkflowWriter.Write(build.RootDirectory, files.Where(f => !f.MayHoldEdits));
        if (written.Count > 0)
            build.Log.Info($"Regenerated {string.Join(", ", written.Select(f => f.Path))} (the workflow definitions changed); " +
                "commit them with your change.");
    }

    // Only the hash is read: a hand edit shows without generating anything, and a merely stale file is CheckWorkflows' to report.
    static void FailOnHandEdits(TargetBuild build, IGitHubWorkflows workflows)
    {
        IEnumerable<WorkflowDefinition> definitions;
        try { definitions = workflows.Workflows.ToList(); }
        catch (WorkflowDefinitionException) { return; }
        var edited = definitions.Select(d => $"{WorkflowWriter.Folder}/{d.FileName}.yml")
            .Where(path => File.Exists(Path.Combine(build.RootDirectory, path))
                && WorkflowContentHash.Matches(File.ReadAllText(Path.Combine(build.RootDirectory, path))) == false)
            .Select(path => new WorkflowFile(path, "", WorkflowFileState.HandEdited).EditsWarning).ToList();
        if (edited.Count > 0)
            throw new BuildException(string.Join("; ", edited) + " and commit the result (a hand-edited workflow fails in CI).");
    }
}
