using MultiArch.Processes;
using System.Diagnostics;
using System.Text;

namespace MultiArch.Workflows.Local;

// One matrix leg: its services, its steps in order (uses: actions and run: scripts), its post steps and its job outputs.
public sealed partial class LocalWorkflowRunner
{
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
            lock (legLog)
                legLog.WriteLine($"+{clock.Elapsed.TotalSeconds.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)} {line}");
        }
        var uploader = matrix.Count == 0 ? $"job {jobId}" : $"job {jobId} ({string.Join(", ", matrix.Values)})";
        var matrixContext = new Dictionary<string, object?> { ["matrix"] = matrix.ToDictionary(e => e.Key, e => (object?)e.Value) };
        var label = new WorkflowExpression(matrixContext, _ => true).Substitute(job.RunsOn);
        var arch = RunnerArchitecture(label);
        string? note = arch == HostArchitecture ? null
            : $"runs-on {label} is {arch}, this machine is {HostArchitecture}: the leg ran here, its " +
                $"containers under QEMU emulation{(matrix.Count == 0 ? "" : $" ({string.Join(", ", matrix.Values)})")}.";
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
            var serviceExpression = Expression(workflow, job, needs, Merge(workflow.Env, job.Env), temp, steps, () => false, matrix, arch,
                workspace);
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
            var expression = Expression(workflow, job, needs, env, temp, steps, () => stepFailed, matrix, arch, workspace,
                services?.Context);
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
                    if (uses.Is("actions/upload-artifact"))
                        (status, reason) = (LocalStatus.Succeeded, artifacts.Upload(with, workspace, uploader));
                    else if (uses.Is("actions/download-artifact"))
                        (status, reason) = (LocalStatus.Succeeded, artifacts.Download(with, workspace));
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
                    var directory = step.WorkingDirectory is null ? workspace
                        : Path.GetFullPath(expression.Substitute(step.WorkingDirectory), workspace);
                    var processEnv = new Dictionary<string, string>(env)
                    {
                        ["CI"] = "true", ["GITHUB_ACTIONS"] = "true", ["GITHUB_WORKSPACE"] = workspace, ["RUNNER_TEMP"] = temp,
                        ["RUNNER_OS"] = "Linux", ["GITHUB_OUTPUT"] = outputFile, ["GITHUB_ENV"] = envFile,
                        ["GITHUB_STEP_SUMMARY"] = summary,
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
            Record(steps, step.Id, status == LocalStatus.Failed ? "failure" : status == LocalStatus.Skipped ? "skipped" : "success",
                stepOutputs);
            results.Add(new LocalStepResult(name, status, reason, output.ToString())
                { Started = started, Elapsed = clock.Elapsed - started });
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

        var outputExpression = Expression(workflow, job, needs, Merge(workflow.Env, job.Env, githubEnv), temp, steps, () => failed,
            matrix, arch, workspace, services?.Context);
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
}
