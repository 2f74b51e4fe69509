using MultiArch.Processes;
using System.Diagnostics;
using System.Text;
using MultiArch.Build;

namespace MultiArch.Workflows;

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
public sealed class LocalWorkflowRunner(LocalRunOptions options)
{
    /// <summary>Reads a workflow file and runs it.</summary>
    public Task<LocalRunResult> RunFileAsync(string path, CancellationToken cancellation = default) =>
        RunAsync(WorkflowReader.ReadFile(path), cancellation);

    /// <summary>Runs the workflow and returns per-job, per-leg, per-step results; a failing step fails its leg, not the call.</summary>
    public async Task<LocalRunResult> RunAsync(Workflow workflow, CancellationToken cancellation = default)
    {
        var work = Path.GetFullPath(options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), "multiarch-local-run-" + Guid.NewGuid().ToString("N")[..8]));
        var artifacts = new LocalArtifactStore(Path.Combine(work, "artifacts"));
        var cache = new LocalCacheAction(Path.GetFullPath(options.CacheDirectory ?? Path.Combine(work, "actions-cache")));
        var masker = new SecretMasker(options.Secrets.Values);
        var results = new Dictionary<string, LocalJobResult>(StringComparer.Ordinal);
        if (!IsTriggeredBy(workflow.On, options.GitHub.EventName))
        {
            // GitHub would not start this workflow for the event at all.
            var reason = $"workflow '{workflow.Name}' has no {options.GitHub.EventName} trigger, so GitHub would not run it";
            options.Log?.Invoke(reason);
            return new LocalRunResult(JobOrder(workflow).Select(id => new LocalJobResult(id, LocalStatus.Skipped, reason, [], new Dictionary<string, string>())).ToList(), artifacts.Directory);
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

    /// <summary>Whether <paramref name="on"/> starts a run for <paramref name="eventName"/> (branch and tag filters are not checked).</summary>
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
                throw new WorkflowDefinitionException($"Job '{from}' needs '{id}', which is not a job of workflow '{workflow.Name}' (jobs: {string.Join(", ", workflow.Jobs.Keys)}).");
            if (!visiting.Add(id)) throw new WorkflowDefinitionException($"Jobs of workflow '{workflow.Name}' need each other in a cycle through '{id}'.");
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
            ["result"] = done[n].Status.ToString().ToLowerInvariant() switch { "succeeded" => "success", "failed" => "failure", var s => s },
            ["outputs"] = done[n].Outputs.ToDictionary(o => o.Key, o => (object?)o.Value),
        });
        var failedNeed = job.Needs.Any(n => done[n].Status != LocalStatus.Succeeded);
        var jobExpression = Expression(workflow, job, needs, new Dictionary<string, string>(), "", [], () => failedNeed);
        if (!jobExpression.Condition(job.If))
            return new LocalJobResult(id, LocalStatus.Skipped, failedNeed ? "a job it needs did not succeed" : $"if: {job.If}", [], new Dictionary<string, string>());

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
                var leg = await RunLegAsync(workflow, id, job, matrix, needs, legDirectory, artifacts, cache, masker, outputs, work, cancellation);
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
    readonly object logLock = new();

    void Log(string line)
    {
        if (options.Log is not { } log) return;
        lock (logLock) log(line);
    }

    /// <summary>The architecture a runner label stands for (<c>runner.arch</c>): hosted arm64 labels end in <c>-arm</c>.</summary>
    public static string RunnerArchitecture(string? label) => label is not null
        && (label.EndsWith("-arm", StringComparison.OrdinalIgnoreCase) || label.Contains("arm64", StringComparison.OrdinalIgnoreCase)) ? "ARM64" : "X64";

    static string HostArchitecture => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "ARM64",
        System.Runtime.InteropServices.Architecture.X64 => "X64",
        var other => other.ToString().ToUpperInvariant(),
    };

    async Task<LocalLegResult> RunLegAsync(Workflow workflow, string jobId, Job job, IReadOnlyDictionary<string, string> matrix,
        Dictionary<string, object?> needs, string legDirectory, LocalArtifactStore artifacts, LocalCacheAction cache, SecretMasker masker,
        Dictionary<string, string> jobOutputs, string work, CancellationToken cancellation)
    {
        // Every line of the leg, with seconds since the leg started, in legs/<leg>/log.txt (GitHub's raw logs are
        // timestamped per line too): where a leg's time goes, e.g. until its first docker build.
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(legDirectory);
        await using var legLog = new StreamWriter(Path.Combine(legDirectory, "log.txt"));
        void Timed(string line)
        {
            lock (legLog) legLog.WriteLine($"+{clock.Elapsed.TotalSeconds.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)} {line}");
        }
        var uploader = matrix.Count == 0 ? $"job {jobId}" : $"job {jobId} ({string.Join(", ", matrix.Values)})";
        var label = new WorkflowExpression(new Dictionary<string, object?> { ["matrix"] = matrix.ToDictionary(e => e.Key, e => (object?)e.Value) }, _ => true)
            .Substitute(job.RunsOn);
        var arch = RunnerArchitecture(label);
        string? note = arch == HostArchitecture ? null
            : $"runs-on {label} is {arch}, this machine is {HostArchitecture}: the leg ran here, its {matrix.GetValueOrDefault("platform") ?? arch.ToLowerInvariant()} containers under QEMU emulation.";
        if (note is not null) Log(note);
        await using var setup = new LocalSetupActions(Log);
        var home = Path.GetFullPath(options.Home ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
        var posts = new List<(string Name, LocalCacheAction.Restored State)>(); // post steps, run in reverse at the end
        var temp = Directory.CreateDirectory(Path.Combine(legDirectory, "temp")).FullName;
        var workspace = options.WorkspaceMode == LocalWorkspaceMode.Shared
            ? Path.GetFullPath(options.Workspace)
            : LocalWorkspace.Copy(Path.GetFullPath(options.Workspace), Path.Combine(legDirectory, "workspace"), work, cache.Directory);
        var githubEnv = new Dictionary<string, string>(StringComparer.Ordinal);
        var steps = new Dictionary<string, object?>(StringComparer.Ordinal);
        var results = new List<LocalStepResult>();
        var failed = false;
        var summary = Path.Combine(temp, "step-summary.md");

        // "Initialize containers", as GitHub's first step of a job with services: a service that cannot start fails the leg.
        LocalServiceContainers? services = null;
        if (job.Services.Count > 0)
        {
            var serviceExpression = Expression(workflow, job, needs, Merge(workflow.Env, job.Env), temp, steps, () => false, matrix, arch, workspace);
            try { services = await LocalServiceContainers.StartAsync(job.Services, serviceExpression.Substitute, Log, cancellation); }
            catch (LocalStepException e)
            {
                Log(e.Message);
                results.Add(new LocalStepResult("Initialize containers", LocalStatus.Failed, e.Message, e.Message));
                failed = true;
            }
        }
        await using var stopServices = services;

        for (var i = 0; i < job.Steps.Count; i++)
        {
            var step = job.Steps[i];
            var name = step.Name ?? step.Uses?.ToString() ?? $"Run {step.Run?.Split('\n')[0]}";
            var started = clock.Elapsed;
            Timed($"##[step] {masker.Mask(name)}");
            var stepFailed = failed;
            // Workflow, job, then GITHUB_ENV values are visible to later expressions, as on GitHub.
            var env = Merge(workflow.Env, job.Env, githubEnv, options.EnvironmentOverrides);
            var expression = Expression(workflow, job, needs, env, temp, steps, () => stepFailed, matrix, arch, workspace, services?.Context);
            if (!expression.Condition(step.If))
            {
                var skipped = failed ? "an earlier step failed" : $"if: {step.If}";
                this.Log(masker.Mask($"{name}: skipped ({skipped})"));
                Timed(masker.Mask($"skipped ({skipped})"));
                results.Add(new LocalStepResult(name, LocalStatus.Skipped, skipped, "") { Started = started });
                Record(steps, step.Id, "skipped", new Dictionary<string, string>());
                continue;
            }
            var stepEnv = step.Env.ToDictionary(e => e.Key, e => expression.Substitute(e.Value));
            env = Merge(env, stepEnv, options.EnvironmentOverrides);
            var with = step.With.ToDictionary(e => e.Key, e => expression.Substitute(e.Value));
            var output = new StringBuilder();
            void Log(string line)
            {
                var masked = masker.Mask(line);
                output.AppendLine(masked);
                this.Log(masked);
                Timed(masked);
            }
            var stepOutputs = new Dictionary<string, string>(StringComparer.Ordinal);
            LocalStatus status;
            string? reason = null;
            try
            {
                if (step.Uses is { } uses)
                {
                    if (uses.Is("actions/upload-artifact")) (status, reason) = (LocalStatus.Succeeded, artifacts.Upload(with, workspace, uploader));
                    else if (uses.Is("actions/download-artifact")) (status, reason) = (LocalStatus.Succeeded, artifacts.Download(with, workspace));
                    else if (uses.Is("actions/cache"))
                    {
                        var (outcome, state) = cache.Restore(with, workspace, home);
                        (status, reason) = (outcome.Status, outcome.Reason);
                        foreach (var (k, v) in outcome.Outputs) stepOutputs[k] = v;
                        posts.Add((name, state));
                    }
                    else
                    {
                        var outcome = await setup.RunAsync(uses, with, cancellation);
                        (status, reason) = (outcome.Status, outcome.Reason);
                        foreach (var (k, v) in outcome.Outputs) stepOutputs[k] = v;
                        foreach (var (k, v) in outcome.Env) githubEnv[k] = v;
                    }
                    Log(reason!);
                }
                else
                {
                    var outputFile = Path.Combine(temp, $"output-{i}");
                    var envFile = Path.Combine(temp, $"env-{i}");
                    var script = Path.Combine(temp, $"step-{i}.sh");
                    await File.WriteAllTextAsync(script, expression.Substitute(step.Run!), cancellation);
                    var directory = step.WorkingDirectory is null ? workspace : Path.GetFullPath(expression.Substitute(step.WorkingDirectory), workspace);
                    var processEnv = new Dictionary<string, string>(env)
                    {
                        ["CI"] = "true", ["GITHUB_ACTIONS"] = "true", ["GITHUB_WORKSPACE"] = workspace, ["RUNNER_TEMP"] = temp,
                        ["RUNNER_OS"] = "Linux", ["GITHUB_OUTPUT"] = outputFile, ["GITHUB_ENV"] = envFile, ["GITHUB_STEP_SUMMARY"] = summary,
                        ["GITHUB_EVENT_NAME"] = options.GitHub.EventName, ["GITHUB_REPOSITORY"] = options.GitHub.Repository,
                        ["GITHUB_REF"] = options.GitHub.Ref, ["GITHUB_SHA"] = options.GitHub.Sha, ["GITHUB_ACTOR"] = options.GitHub.Actor,
                        ["GITHUB_RUN_ID"] = options.GitHub.RunId,
                    };
                    if (options.Home is not null) processEnv["HOME"] = home;
                    var exitCode = await BashAsync(script, directory, processEnv, Log, masker, cancellation);
                    foreach (var (k, v) in GitHubFileCommands.Read(outputFile)) stepOutputs[k] = v;
                    foreach (var (k, v) in GitHubFileCommands.Read(envFile)) { githubEnv[k] = v; masker.AddIfNamedSecret(k, v); }
                    status = exitCode == 0 ? LocalStatus.Succeeded : LocalStatus.Failed;
                    if (exitCode != 0) reason = $"exit code {exitCode}";
                }
            }
            catch (LocalStepException e)
            {
                Log(e.Message);
                (status, reason) = (LocalStatus.Failed, e.Message);
            }
            if (status == LocalStatus.Failed) failed = true;
            Record(steps, step.Id, status == LocalStatus.Failed ? "failure" : status == LocalStatus.Skipped ? "skipped" : "success", stepOutputs);
            results.Add(new LocalStepResult(name, status, reason, output.ToString()) { Started = started, Elapsed = clock.Elapsed - started });
        }

        // actions/cache's post step (post-if: success()): save when the job succeeded, in reverse order like all posts.
        foreach (var (name, state) in Enumerable.Reverse(posts))
        {
            var started = clock.Elapsed;
            Timed($"##[step] Post {name}");
            var line = failed ? "skipped (post-if: success(), and a step failed)" : cache.Save(state);
            Log(masker.Mask($"Post {name}: {line}"));
            Timed(masker.Mask(line));
            results.Add(new LocalStepResult("Post " + name, failed ? LocalStatus.Skipped : LocalStatus.Succeeded, line, line)
                { Started = started, Elapsed = clock.Elapsed - started });
        }

        var outputExpression = Expression(workflow, job, needs, Merge(workflow.Env, job.Env, githubEnv), temp, steps, () => failed, matrix, arch,
            workspace, services?.Context);
        foreach (var (key, value) in job.Outputs)
            if (outputExpression.Substitute(value) is { Length: > 0 } text)
                lock (jobOutputs) jobOutputs[key] = masker.Mask(text);
        return new LocalLegResult(matrix, failed ? LocalStatus.Failed : LocalStatus.Succeeded, results) { Note = note };
    }

    static void Record(Dictionary<string, object?> steps, string? id, string outcome, Dictionary<string, string> outputs)
    {
        if (id is null) return;
        steps[id] = new Dictionary<string, object?>
        {
            ["outcome"] = outcome, ["conclusion"] = outcome,
            ["outputs"] = outputs.ToDictionary(o => o.Key, o => (object?)o.Value),
        };
    }

    WorkflowExpression Expression(Workflow workflow, Job job, Dictionary<string, object?> needs, IReadOnlyDictionary<string, string> env,
        string temp, Dictionary<string, object?> steps, Func<bool> failed, IReadOnlyDictionary<string, string>? matrix = null, string arch = "X64",
        string? workspace = null, Dictionary<string, object?>? services = null)
    {
        var inputs = workflow.On.WorkflowDispatch?.Inputs.ToDictionary(i => i.Key, i => (object?)(i.Value.Default ?? ""))
            ?? new Dictionary<string, object?>();
        foreach (var (k, v) in options.Inputs) inputs[k] = v;
        var contexts = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["github"] = new Dictionary<string, object?>
            {
                ["event_name"] = options.GitHub.EventName, ["repository"] = options.GitHub.Repository,
                ["repository_owner"] = options.GitHub.Repository.Split('/')[0], ["ref"] = options.GitHub.Ref,
                ["ref_name"] = options.GitHub.Ref.Split('/').Last(), ["sha"] = options.GitHub.Sha, ["actor"] = options.GitHub.Actor,
                ["run_id"] = options.GitHub.RunId, ["run_number"] = options.GitHub.RunId, ["workflow"] = workflow.Name,
                ["server_url"] = "https://github.com", ["event"] = options.GitHub.Event(),
                ["token"] = options.Secrets.GetValueOrDefault("GITHUB_TOKEN"),
            },
            ["env"] = env.ToDictionary(e => e.Key, e => (object?)e.Value),
            ["matrix"] = (matrix ?? new Dictionary<string, string>()).ToDictionary(e => e.Key, e => (object?)e.Value),
            ["strategy"] = new Dictionary<string, object?> { ["fail-fast"] = job.Strategy?.FailFast ?? true },
            ["runner"] = new Dictionary<string, object?> { ["temp"] = temp, ["os"] = "Linux", ["arch"] = arch, ["name"] = "local" },
            ["needs"] = needs,
            ["steps"] = steps,
            ["inputs"] = inputs,
            ["secrets"] = options.Secrets.ToDictionary(e => e.Key, e => (object?)e.Value),
            ["vars"] = new Dictionary<string, object?>(),
            ["job"] = new Dictionary<string, object?>
            {
                ["status"] = failed() ? "failure" : "success", ["services"] = services ?? new Dictionary<string, object?>(),
            },
        };
        return new WorkflowExpression(contexts, fn => fn switch
        {
            "success" => !failed(),
            "failure" => failed(),
            "always" => true,
            _ => false, // cancelled(): a local run is never cancelled mid-expression
        }, workspace ?? options.Workspace); // hashFiles sees the leg's GITHUB_WORKSPACE, not the caller's tree and its outputs
    }

    static Dictionary<string, string> Merge(params IEnumerable<KeyValuePair<string, string>>[] layers)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var layer in layers) foreach (var (k, v) in layer) merged[k] = v;
        return merged;
    }

    // The workflow-command escapes the runner undoes in a command's data (%0D, %0A, %25).
    static string UnescapeData(string text) => text.Replace("%0D", "\r").Replace("%0A", "\n").Replace("%25", "%");

    static async Task<int> BashAsync(string script, string directory, Dictionary<string, string> env, Action<string> log,
        SecretMasker masker, CancellationToken cancellation)
    {
        // GitHub's default shell for run steps on Linux.
        var gate = new object();
        // Lines arrive unmasked (no Masker here): an ::add-mask:: line must be read before it is hidden; log masks the rest.
        void OnLine(string line, bool _)
        {
            if (line.StartsWith("::add-mask::", StringComparison.Ordinal)) { masker.Add(UnescapeData(line["::add-mask::".Length..])); return; }
            lock (gate) log(line);
        }
        // Cancelled, the runner kills bash with everything it started.
        var result = await ProcessRunner.RunAsync(new ProcessCommand("bash", ["--noprofile", "--norc", "-eo", "pipefail", script])
        {
            WorkingDirectory = directory, Environment = env.ToDictionary(x => x.Key, x => (string?)x.Value), Output = OnLine,
        }, cancellation);
        return result.ExitCode;
    }
}
