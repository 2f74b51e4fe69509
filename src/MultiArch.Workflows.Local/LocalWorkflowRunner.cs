using MultiArch.Processes;

namespace MultiArch.Workflows.Local;

/// <summary>
/// Runs a workflow on this machine as the hosted runners would: jobs in <c>needs:</c> order, a job's matrix legs in
/// parallel (at most <c>max-parallel</c> at once), each leg as its own <c>bash</c> processes with <c>matrix</c>,
/// <c>runner</c>, <c>env</c>, <c>needs</c>, <c>steps</c>, <c>inputs</c>, <c>github</c> and <c>secrets</c> substituted,
/// <c>if:</c> evaluated (skipped steps say why), <c>$GITHUB_OUTPUT</c>/<c>$GITHUB_ENV</c>/<c>$GITHUB_STEP_SUMMARY</c> honoured,
/// artifacts kept in a local folder with upload-artifact v6 semantics, and actions/cache restored from and saved to a
/// local cache folder (<see cref="LocalCacheAction"/>). Setup actions are emulated where their effect
/// can be had here (setup-docker-action: a second dockerd, see <see cref="LocalSetupActions"/>) and otherwise reported
/// "not emulated: why". A leg labelled for an arm64 runner says that here it ran under emulation.
/// </summary>
public sealed partial class LocalWorkflowRunner(LocalRunOptions options)
{
    /// <summary>Reads a workflow file and runs it.</summary>
    public Task<LocalRunResult> RunFileAsync(string path, CancellationToken cancellation = default) =>
        RunAsync(WorkflowReader.ReadFile(path), cancellation);

    /// <summary>Runs the workflow and returns per-job, per-leg, per-step results; a failing step fails its leg, not the call.</summary>
    public async Task<LocalRunResult> RunAsync(Workflow workflow, CancellationToken cancellation = default)
    {
        var work = Path.GetFullPath(options.WorkDirectory
            ?? Path.Combine(Path.GetTempPath(), "multiarch-local-run-" + Guid.NewGuid().ToString("N")[..8]));
        var artifacts = new LocalArtifactStore(Path.Combine(work, "artifacts"));
        var cache = new LocalCacheAction(Path.GetFullPath(options.CacheDirectory ?? Path.Combine(work, "actions-cache")));
        var masker = new SecretMasker(options.Secrets.Values);
        var results = new Dictionary<string, LocalJobResult>(StringComparer.Ordinal);
        if (!IsTriggeredBy(workflow.On, options.GitHub.EventName))
        {
            // GitHub would not start this workflow for the event at all.
            var reason = $"workflow '{workflow.Name}' has no {options.GitHub.EventName} trigger, so GitHub would not run it";
            options.Log?.Invoke(reason);
            return new LocalRunResult(JobOrder(workflow)
                .Select(id => new LocalJobResult(id, LocalStatus.Skipped, reason, [], new Dictionary<string, string>())).ToList(),
                artifacts.Directory);
        }
        foreach (var id in JobOrder(workflow))
        {
            var job = workflow.Jobs[id];
            var result = await RunJobAsync(workflow, id, job, results, artifacts, cache, masker, work, cancellation);
            results[id] = result;
            options.Log?.Invoke($"Job {id}: {result.Status}{(result.Reason is null ? "" : $" ({result.Reason})")}");
        }
        return new LocalRunResult(JobOrder(workflow).Select(id => results[id]).ToList(), artifacts.Directory);
    }

    /// <summary>
    /// Whether <paramref name="on"/> starts a run for <paramref name="eventName"/> (branch and tag filters are not checked).
    /// </summary>
    public static bool IsTriggeredBy(WorkflowTriggers on, string eventName) => eventName switch
    {
        "workflow_dispatch" => on.WorkflowDispatch is not null,
        "push" => on.Push is not null,
        "pull_request" => on.PullRequest is not null,
        "schedule" => on.Schedule.Count > 0,
        _ => false,
    };

    /// <summary>Job ids so that every job comes after the jobs it needs (declaration order otherwise).</summary>
    public static IReadOnlyList<string> JobOrder(Workflow workflow)
    {
        var order = new List<string>();
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        void Visit(string id, string from)
        {
            if (order.Contains(id)) return;
            if (!workflow.Jobs.TryGetValue(id, out var job))
                throw new WorkflowDefinitionException($"Job '{from}' needs '{id}', which is not a job of workflow '{workflow.Name}' " +
                    $"(jobs: {string.Join(", ", workflow.Jobs.Keys)}).");
            if (!visiting.Add(id))
                throw new WorkflowDefinitionException($"Jobs of workflow '{workflow.Name}' need each other in a cycle through '{id}'.");
            foreach (var need in job.Needs) Visit(need, id);
            order.Add(id);
        }
        foreach (var id in workflow.Jobs.Keys) Visit(id, id);
        return order;
    }

    async Task<LocalJobResult> RunJobAsync(Workflow workflow, string id, Job job, Dictionary<string, LocalJobResult> done,
        LocalArtifactStore artifacts, LocalCacheAction cache, SecretMasker masker, string work, CancellationToken cancellation)
    {
        var needs = job.Needs.ToDictionary(n => n, n => (object?)new Dictionary<string, object?>
        {
            ["result"] = done[n].Status.ToString().ToLowerInvariant() switch
            {
                "succeeded" => "success", "failed" => "failure", var s => s,
            },
            ["outputs"] = done[n].Outputs.ToDictionary(o => o.Key, o => (object?)o.Value),
        });
        var failedNeed = job.Needs.Any(n => done[n].Status != LocalStatus.Succeeded);
        var jobExpression = Expression(workflow, job, needs, new Dictionary<string, string>(), "", [], () => failedNeed);
        if (!jobExpression.Condition(job.If))
            return new LocalJobResult(id, LocalStatus.Skipped, failedNeed ? "a job it needs did not succeed" : $"if: {job.If}", [],
                new Dictionary<string, string>());

        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var matrices = MatrixExpansion.Legs(job.Strategy);
        var legs = new LocalLegResult?[matrices.Count];
        // GitHub starts every leg at once unless max-parallel caps them; fail-fast keeps the rest from starting.
        using var slots = new SemaphoreSlim(Math.Max(1, job.Strategy?.MaxParallel ?? matrices.Count));
        var failFast = job.Strategy?.FailFast != false;
        var anyFailed = false;
        var runs = matrices.Select(async (matrix, i) =>
        {
            await slots.WaitAsync(cancellation);
            try
            {
                if (failFast && Volatile.Read(ref anyFailed)) { legs[i] = new LocalLegResult(matrix, LocalStatus.Skipped, []); return; }
                var label = matrix.Count == 0 ? id : $"{id} ({string.Join(", ", matrix.Values)})";
                Log($"== {label}");
                var legDirectory = Path.Combine(work, "legs", $"{id}-{i + 1}");
                var leg = await RunLegAsync(workflow, id, job, matrix, needs, legDirectory, artifacts, cache, masker, outputs, work,
                    cancellation);
                if (leg.Status == LocalStatus.Failed) Volatile.Write(ref anyFailed, true);
                legs[i] = leg;
            }
            finally { slots.Release(); }
        }).ToList();
        await Task.WhenAll(runs);
        var status = legs.Any(l => l!.Status == LocalStatus.Failed) ? LocalStatus.Failed : LocalStatus.Succeeded;
        return new LocalJobResult(id, status, null, legs.Select(l => l!).ToList(), outputs);
    }

    // Legs log from several threads; one line at a time.
    readonly object _logLock = new();

    void Log(string line)
    {
        if (options.Log is not { } log) return;
        lock (_logLock) log(line);
    }

    /// <summary>The architecture a runner label stands for (<c>runner.arch</c>): hosted arm64 labels end in <c>-arm</c>.</summary>
    public static string RunnerArchitecture(string? label) => label is not null
        && (label.EndsWith("-arm", StringComparison.OrdinalIgnoreCase) || label.Contains("arm64", StringComparison.OrdinalIgnoreCase))
            ? "ARM64" : "X64";

    static string HostArchitecture => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "ARM64",
        System.Runtime.InteropServices.Architecture.X64 => "X64",
        var other => other.ToString().ToUpperInvariant(),
    };
}
