using MultiArch.Build;

namespace MultiArch.Workflows.Local;

/// <summary>
/// The component that runs a generated workflow on this machine: <c>RunWorkflowLocally</c> reads the committed file
/// under <c>.github/workflows/</c> and replays it with <see cref="LocalWorkflowRunner"/>. It needs no workflow
/// definitions of its own; with <see cref="IGitHubWorkflows"/> on the same build the file is regenerated first, and a
/// missing one is answered with the build's workflow names.
/// </summary>
public interface IRunWorkflowsLocally : IBuild
{
    /// <summary>The workflow <c>RunWorkflowLocally</c> runs: its file name without <c>.yml</c>.</summary>
    [Parameter("Workflow file (without .yml) for RunWorkflowLocally, e.g. release")]
    string? LocalWorkflow => TryGetValue(() => LocalWorkflow);

    /// <summary>Environment overrides for RunWorkflowLocally, e.g. MULTIARCH_REGISTRY=127.0.0.1:5000.</summary>
    [Parameter("KEY=VALUE pairs that override the workflow's env in RunWorkflowLocally, e.g. MULTIARCH_REGISTRY=127.0.0.1:5000")]
    EnvironmentOverride[] LocalEnv => TryGetValue(() => LocalEnv) ?? [];

    /// <summary>The event RunWorkflowLocally simulates (<c>github.event_name</c>).</summary>
    [Parameter("Event RunWorkflowLocally simulates: workflow_dispatch (default), push, pull_request or schedule; its if: conditions " +
        "decide what runs")]
    GitHubEvent LocalEvent => TryGetValue(() => LocalEvent) ?? GitHubEvent.WorkflowDispatch;

    /// <summary>Simulate a run in a fork (<c>github.event.repository.fork</c>): publishing jobs and steps then skip.</summary>
    [Parameter("RunWorkflowLocally simulates a run in a fork: publishing jobs and steps skip, as they would there")]
    bool LocalFork => TryGetValue<bool?>(() => LocalFork) ?? false;

    /// <summary>
    /// Runs a generated workflow on this machine (see <see cref="LocalWorkflowRunner"/>). Secrets the workflow
    /// references are read from environment variables of the same name and masked.
    /// </summary>
    Target RunWorkflowLocally => _ => _
        .Description("Run a generated workflow here as hosted runners would: legs in parallel, if: for --local-event, artifacts in " +
            ".nuke/temp")
        .Requires(() => LocalWorkflow)
        .Executes(async () =>
        {
            var file = Build.RootDirectory / WorkflowWriter.Folder / (LocalWorkflow + ".yml");
            if (!file.FileExists())
                throw new BuildException($"--local-workflow {LocalWorkflow}: {file.RelativeTo(Build.RootDirectory)} does not exist; run " +
                    $"{WorkflowRenderer.RegenerateCommand} or pick one of {string.Join(", ", Defined(Build).Select(w => w.FileName))}.");
            var text = await File.ReadAllTextAsync(file, Build.Cancellation);
            var secrets = System.Text.RegularExpressions.Regex.Matches(text, @"secrets\.([A-Za-z_][A-Za-z0-9_]*)")
                .Select(m => m.Groups[1].Value).Distinct()
                .Where(Build.Environment.ContainsKey).ToDictionary(name => name, name => Build.Environment[name]);
            foreach (var secret in secrets.Values) Build.Log.AddSecret(secret);
            var runner = new LocalWorkflowRunner(new LocalRunOptions
            {
                Workspace = Build.RootDirectory,
                WorkDirectory = Build.RootDirectory / ".nuke" / "temp" / "local-run" / DateTime.UtcNow.ToString("yyyyMMdd-HHmmss"),
                Secrets = secrets,
                GitHub = LocalGitHubContext.ForWorkTree(Build.RootDirectory) with
                {
                    EventName = LocalEvent.Name,
                    Ref = LocalEvent.Ref,
                    Fork = LocalFork,
                },
                EnvironmentOverrides = EnvironmentOverride.ToDictionary(LocalEnv),
                // Kept across runs, as the cache service is: the second run of unchanged build inputs skips the compile.
                CacheDirectory = Build.RootDirectory / ".nuke" / "temp" / "actions-cache",
                Log = Build.Log.Info,
            });
            var result = await runner.RunAsync(WorkflowReader.Read(text, file.RelativeTo(Build.RootDirectory)), Build.Cancellation);
            foreach (var job in result.Jobs)
            {
                var legs = job.Legs.Count > 1 ? $" ({job.Legs.Count(l => l.Status == LocalStatus.Succeeded)}/{job.Legs.Count} legs)" : "";
                Build.AddSummary($"{job.Id}: {job.Status}{legs}" + (job.Reason is null ? "" : $" ({job.Reason})"));
                foreach (var note in job.Legs.Select(l => l.Note).OfType<string>().Distinct()) Build.AddSummary($"  {note}");
            }
            if (!result.Succeeded)
                throw new BuildException($"Workflow {LocalWorkflow} failed locally: " +
                    $"{string.Join(", ", result.Jobs.Where(j => j.Status == LocalStatus.Failed).Select(j => j.Id))}.");
        });

    // The workflows a missing file is picked from; a build without IGitHubWorkflows only runs committed ones. Static, so the
    // reference pages and the parameter scan (which read the interface's properties) do not list it.
    private static IEnumerable<WorkflowDefinition> Defined(TargetBuild build) =>
        build is IGitHubWorkflows workflows ? workflows.Workflows : [];
}
