using MultiArch.Build;

namespace MultiArch.Workflows;

/// <summary>
/// The component that keeps <c>.github/workflows/</c> true to the build: list the workflows in
/// <see cref="Workflows"/>; <c>GenerateWorkflows</c> writes them, <c>CheckWorkflows</c> fails when a committed file
/// differs, and every local run regenerates them when something changed (<see cref="RegenerateWorkflowsAttribute"/>).
/// </summary>
[RegenerateWorkflows]
public interface IGitHubWorkflows : IBuild
{
    /// <summary>The workflows this build publishes.</summary>
    IEnumerable<WorkflowDefinition> Workflows { get; }

    /// <summary>Writes every workflow whose text changed.</summary>
    Target GenerateWorkflows => _ => _
        .Description("Write .github/workflows/*.yml from the workflow definitions")
        .Executes(() =>
        {
            var written = WorkflowWriter.Write(Build.RootDirectory,
                WorkflowWriter.Compare(Build.RootDirectory, Build.Graph, Workflows, WorkflowSource(Build)));
            // Running this target is how hand edits are accepted as replaced; still say which ones went.
            foreach (var file in written.Where(f => f.MayHoldEdits))
                Build.Log.Warn($"Replaced {file.Path}, which " +
                    $"{(file.State == WorkflowFileState.HandEdited ? "was edited by hand" : "carried no content hash")}; git has the " +
                    "previous text.");
            Build.Log.Info(written.Count == 0 ? "Workflows are up to date." : $"Wrote {string.Join(", ", written.Select(f => f.Path))}.");
        });

    /// <summary>Fails when a committed workflow is not what the definitions generate.</summary>
    Target CheckWorkflows => _ => _
        .Description("Fail when .github/workflows differs from what the definitions generate")
        .Executes(() =>
        {
            var differences = WorkflowWriter.Check(Build.RootDirectory, Build.Graph, Workflows, WorkflowSource(Build));
            foreach (var difference in differences) Build.Log.Error(difference.ToString());
            if (differences.Count > 0)
                throw new BuildException($"{differences.Count} workflow file(s) differ from the definitions " +
                    $"({string.Join(", ", differences.Select(d => d.Path))}); run {WorkflowRenderer.RegenerateCommand} and commit the " +
                    "result.");
            Build.Log.Info("Workflows match the definitions.");
        });

    /// <summary>What the header says the workflows come from: the build class.</summary>
    internal static string WorkflowSource(TargetBuild build) => $"the {build.GetType().Name} build";
}
