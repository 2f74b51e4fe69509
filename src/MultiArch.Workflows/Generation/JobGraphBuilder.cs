using MultiArch.Build;

namespace MultiArch.Workflows;

/// <summary>
/// Derives a workflow's jobs from the engine's plan. Consecutive targets with the same partition axes form one
/// job; a partitioned job becomes a matrix with one <c>include</c> entry per partition; every later job
/// <c>needs:</c> the one before and runs its targets with <c>--skip</c>. <c>Produces</c>/<c>Consumes</c> pairs
/// become artifact uploads and downloads, targets annotated with outputs become job outputs, and pull requests
/// stop before the first publishing target.
/// </summary>
public static class JobGraphBuilder
{
    const string NotPullRequest = "github.event_name != 'pull_request'";
    // A fork's push must not publish into the upstream owner's namespace (403): its publishing jobs and steps skip.
    const string NotFork = "github.event.repository.fork != true";
    const string BuildStepId = "build";

    /// <summary>Artifacts outlive the run long enough to re-run the merge the next day ("Re-run failed jobs").</summary>
    public const int ArtifactRetentionDays = 3;

    /// <summary>The workflow for <paramref name="definition"/> over the build's <paramref name="graph"/>.</summary>
    public static Workflow Build(WorkflowDefinition definition, TargetGraph graph)
    {
        if (definition.Triggers.IsEmpty)
            throw new WorkflowDefinitionException($"Workflow '{definition.FileName}' has no trigger; add .OnDispatch(), .OnPush(...), .OnPullRequest() or .OnSchedule(...).");
        if (definition.Targets.Count == 0)
            throw new WorkflowDefinitionException($"Workflow '{definition.FileName}' invokes no target; add .Invokes(\"MergeManifest\") or .Invokes<IComponent>(x => x.Target).");
        IReadOnlyList<ExecutableTarget> plan;
        // A local-only target (machine set-up) stays out of the job graph; a leg still runs it as its own preflight.
        try { plan = graph.Plan(definition.Targets).Where(t => !IsLocalOnly(t)).ToList(); }
        catch (BuildException e) { throw new WorkflowDefinitionException($"Workflow '{definition.FileName}': {e.Message}"); }

        var mode = definition.PublishMode;
        var cut = plan.ToList().FindIndex(IsPublishing);
        if (cut < 0) cut = plan.Count;
        if (cut < plan.Count && mode != PublishMode.Never) CheckNamesRegistry(definition, graph);
        var jobs = PlanJobs(definition, graph, plan, mode, cut);
        WireArtifacts(jobs);
        WireOutputs(definition, graph, jobs);

        var workflow = new Workflow
        {
            Name = definition.Name,
            On = Triggers(definition, graph),
            Permissions = new Permissions(),
            Concurrency = definition.ConcurrencyGroup ?? DefaultConcurrency(mode),
        };
        foreach (var (k, v) in definition.Env) workflow.Env[k] = v;
        foreach (var job in jobs) workflow.Jobs[job.Id] = Render(definition, graph, job, jobs);
        return workflow;
    }

    // Without a login or a registry value, a build with a Registry parameter publishes to its default, 127.0.0.1:5000
    // on the runner: a green run that published nothing anyone can pull.
    static void CheckNamesRegistry(WorkflowDefinition definition, TargetGraph graph)
    {
        if (definition.RegistryLogin is not null) return;
        if (graph.Parameters.FirstOrDefault(p => Normalize(p.Name) == "registry") is not { } registry) return;
        bool SetsRegistry(string parameter) => Normalize(parameter) == Normalize(registry.Name);
        if (!definition.Env.ContainsKey(registry.EnvironmentVariable) && !definition.Inputs.Any(i => SetsRegistry(i.Parameter)) && !definition.Secrets.Any(s => SetsRegistry(s.Parameter)))
            throw new WorkflowDefinitionException($"Workflow '{definition.FileName}' publishes but names no registry (it would push to 127.0.0.1:5000 on the runner); add .WithEnv(\"{registry.EnvironmentVariable}\", \"ghcr.io\").Login(RegistryLogin.GitHubContainerRegistry).");
    }

    // Publishing runs queue behind each other per workflow (two tags pushed together would race latest, 1 and 1.2);
    // a pull request's newer push cancels its older run. https://docs.github.com/en/actions/using-jobs/using-concurrency
    // (at most one run pending per group: a third queued release replaces the second, which the README says).
    static Concurrency DefaultConcurrency(PublishMode mode) => mode switch
    {
        PublishMode.Always => new Concurrency("${{ github.workflow }}", "false"),
        PublishMode.Never => new Concurrency("${{ github.workflow }}-${{ github.ref }}", "true"),
        _ => new Concurrency("${{ github.workflow }}-${{ github.event_name == 'pull_request' && github.ref || 'publish' }}",
            "${{ github.event_name == 'pull_request' }}"),
    };

    /// <summary>The condition under which publishing steps and jobs run, or null when they always do.</summary>
    internal static string? PublishCondition(WorkflowDefinition definition) => (definition.PublishMode, definition.PublishesFromForks) switch
    {
        (PublishMode.ExceptPullRequests, false) => $"{NotPullRequest} && {NotFork}",
        (PublishMode.ExceptPullRequests, true) => NotPullRequest,
        (_, false) => NotFork,
        _ => null,
    };

    // The negation, for the build-only variant of a split step (a pull request, or a fork's push).
    static string BuildOnlyCondition(WorkflowDefinition definition) => definition.PublishesFromForks
        ? "github.event_name == 'pull_request'"
        : "github.event_name == 'pull_request' || github.event.repository.fork == true";

    // A copy of the definition's triggers with the dispatch inputs named after the parameters they set.
    static WorkflowTriggers Triggers(WorkflowDefinition definition, TargetGraph graph)
    {
        var source = definition.Triggers;
        var on = new WorkflowTriggers
        {
            WorkflowDispatch = source.WorkflowDispatch is null ? null : new WorkflowDispatchTrigger(),
            Push = source.Push is null ? null : new PushTrigger(),
            PullRequest = source.PullRequest is null ? null : new PullRequestTrigger(),
        };
        on.Push?.Branches.AddRange(source.Push!.Branches);
        on.Push?.Tags.AddRange(source.Push!.Tags);
        on.PullRequest?.Branches.AddRange(source.PullRequest!.Branches);
        on.Schedule.AddRange(source.Schedule);
        foreach (var (parameter, input) in definition.Inputs)
            on.WorkflowDispatch!.Inputs[InputName(FindParameter(definition, graph, parameter, "input"))] = input;
        return on;
    }

    static bool IsLocalOnly(ExecutableTarget t) => t.Annotations.GetValueOrDefault(WorkflowAnnotations.LocalOnly) == "true";

    static bool IsPublishing(ExecutableTarget t) => t.Annotations.TryGetValue(WorkflowAnnotations.Publishes, out var v) && v == "true";

    static bool IsContinueOnError(ExecutableTarget t) => t.Annotations.GetValueOrDefault(WorkflowAnnotations.ContinueOnError) == "true";

    sealed class PlannedJob
    {
        public required string Id;
        public required int Index;
        public required List<ExecutableTarget> Targets;
        public required List<ExecutableTarget> PullRequestTargets; // what a pull request runs; all of Targets when nothing publishes
        public required IReadOnlyList<string> Axes;
        public required List<MatrixLeg> Legs;
        public required PublishMode Mode;
        public readonly List<string> Needs = [];
        public readonly List<(string Path, PlannedJob Producer)> Downloads = [];
        public readonly List<string> Uploads = [];
        public readonly List<string> Outputs = [];
        public readonly OrderedDictionary<string, string> NeededOutputsEnv = new(StringComparer.Ordinal);
        public bool RunsOnPullRequests => PullRequestTargets.Count > 0;
        public bool Split => Mode == PublishMode.ExceptPullRequests && PullRequestTargets.Count > 0 && PullRequestTargets.Count < Targets.Count;
    }

    static List<PlannedJob> PlanJobs(WorkflowDefinition definition, TargetGraph graph, IReadOnlyList<ExecutableTarget> plan, PublishMode mode, int cut)
    {
        var jobs = new List<PlannedJob>();
        var position = 0;
        // The engine's segments, the same the executor runs as lanes; a target naming another job starts a segment.
        foreach (var group in TargetGraph.Segments(plan, t => t.Annotations.GetValueOrDefault(WorkflowAnnotations.Job)).Select(s => s.Targets.ToList()))
        {
            var start = position;
            position += group.Count;
            var beforeCut = group.Take(Math.Max(0, cut - start)).ToList();
            var targets = mode == PublishMode.Never ? beforeCut : group;
            if (targets.Count == 0) break; // a pull-request-only workflow ends where publishing starts
            var axes = group[0].PartitionAxes;
            var id = JobId(group);
            if (jobs.Any(j => j.Id == id))
                throw new WorkflowDefinitionException($"Workflow '{definition.FileName}' would have two jobs named '{id}'; annotate one target with .Annotate(WorkflowAnnotations.Job, \"another-name\").");
            var job = new PlannedJob
            {
                Id = id, Index = jobs.Count, Targets = targets, Axes = axes, Mode = mode,
                PullRequestTargets = mode == PublishMode.Always ? targets : beforeCut,
                Legs = Legs(definition, graph, axes, id),
            };
            if (jobs.Count > 0) job.Needs.Add(jobs[^1].Id);
            jobs.Add(job);
        }
        return jobs;
    }

    static string JobId(List<ExecutableTarget> group) =>
        group.Select(t => t.Annotations.GetValueOrDefault(WorkflowAnnotations.Job)).LastOrDefault(n => n is not null)
        ?? Kebab(group[^1].Name);

    static List<MatrixLeg> Legs(WorkflowDefinition definition, TargetGraph graph, IReadOnlyList<string> axes, string jobId)
    {
        if (axes.Count == 0) return [];
        IReadOnlyList<Partition> partitions;
        try { partitions = graph.DeclaredPartitions(axes); }
        catch (BuildException e) { throw new WorkflowDefinitionException($"Workflow '{definition.FileName}' job '{jobId}': {e.Message}"); }
        if (partitions.Count == 0)
            throw new WorkflowDefinitionException($"Workflow '{definition.FileName}' job '{jobId}' is partitioned by {string.Join(", ", axes)} but the build gives no partitions; give the axis values a default.");
        return partitions.Select(p => new MatrixLeg(p, p.Values.TryGetValue("platform", out var platform)
            ? definition.Runners.For(platform)
            : new Runner(definition.FanInRunner))).ToList();
    }

    static void WireArtifacts(List<PlannedJob> jobs)
    {
        foreach (var job in jobs)
            foreach (var path in job.Targets.SelectMany(t => t.Consumes).Select(NormalizePath).Distinct())
            {
                if (job.Targets.Any(t => t.Produces.Select(NormalizePath).Contains(path))) continue; // handed over inside the job
                var producer = jobs.Take(job.Index).LastOrDefault(j => j.Targets.Any(t => t.Produces.Select(NormalizePath).Contains(path)));
                if (producer is null) continue;
                job.Downloads.Add((path, producer));
                if (!producer.Uploads.Contains(path)) producer.Uploads.Add(path);
                if (!job.Needs.Contains(producer.Id)) job.Needs.Add(producer.Id);
            }
    }

    static void WireOutputs(WorkflowDefinition definition, TargetGraph graph, List<PlannedJob> jobs)
    {
        foreach (var producer in jobs)
        {
            producer.Outputs.AddRange(producer.Targets
                .SelectMany(t => t.Annotations.GetValueOrDefault(WorkflowAnnotations.Outputs)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [])
                .Distinct(StringComparer.Ordinal));
            foreach (var later in jobs.Skip(producer.Index + 1))
                foreach (var output in producer.Outputs)
                {
                    if (!later.Needs.Contains(producer.Id)) later.Needs.Add(producer.Id);
                    later.NeededOutputsEnv[EnvironmentName(graph, output)] = $"${{{{ needs.{producer.Id}.outputs.{output} }}}}";
                }
        }
    }

    static Job Render(WorkflowDefinition definition, TargetGraph graph, PlannedJob planned, List<PlannedJob> all)
    {
        var job = new Job
        {
            RunsOn = planned.Legs.Count == 0 ? definition.FanInRunner
                : planned.Axes.Contains("platform", StringComparer.OrdinalIgnoreCase) ? "${{ matrix.runner }}" : definition.FanInRunner,
            TimeoutMinutes = definition.JobTimeoutMinutes,
            Permissions = Permissions.ContentsRead(),
            If = planned.Mode == PublishMode.ExceptPullRequests && !planned.RunsOnPullRequests ? PublishCondition(definition)
                : planned.Mode == PublishMode.Always && planned.Targets.Any(IsPublishing) ? PublishCondition(definition) : null,
            // A failing cleanup (e.g. no Admin grant on the package: 404) must not turn a published release red; it shows
            // as a failed job that "Re-run failed jobs" retries alone.
            ContinueOnError = planned.Targets.All(IsContinueOnError) ? true : null,
        };
        job.Needs.AddRange(planned.Needs);
        if (planned.Legs.Count > 0)
        {
            job.Strategy = new JobStrategy { FailFast = false, MaxParallel = definition.MatrixMaxParallel };
            foreach (var leg in planned.Legs) job.Strategy.Include.Add(MatrixEntry(leg));
        }
        var publishes = planned.Targets.Any(IsPublishing);
        var context = new JobContext(definition, planned.Id, job, planned.Targets, planned.Axes, planned.Legs,
            planned.Split ? PublishCondition(definition) : null, publishes);
        foreach (var contributor in definition.Contributors) contributor.Contribute(context);
        job.Steps.AddRange(context.SetupSteps);

        foreach (var (path, producer) in planned.Downloads)
        {
            var download = new Step
            {
                Name = $"Download {ArtifactBase(path)} from {producer.Id}",
                If = planned.Split && !planned.PullRequestTargets.Any(t => t.Consumes.Select(NormalizePath).Contains(path)) ? PublishCondition(definition) : null,
                Uses = ActionVersions.DownloadArtifact.Reference,
            };
            if (producer.Legs.Count == 0) download.With["name"] = ArtifactBase(path);
            else download.With["pattern"] = DownloadPattern(definition, path, producer, planned);
            download.With["path"] = path;
            if (producer.Legs.Count > 0) download.With["merge-multiple"] = "true";
            job.Steps.Add(download);
        }

        var env = RunEnvironment(definition, graph, planned);
        var first = planned.Index == 0;
        if (planned.Split)
        {
            var pr = RunStep(definition, graph, planned, planned.PullRequestTargets, first, env);
            pr.Name += " (pull request: no publishing)";
            pr.If = BuildOnlyCondition(definition);
            job.Steps.Add(pr);
        }
        var run = RunStep(definition, graph, planned, planned.Targets, first, env);
        if (planned.Split) run.If = PublishCondition(definition);
        if (planned.Outputs.Count > 0) run.Id = BuildStepId;
        job.Steps.Add(run);
        foreach (var output in planned.Outputs) job.Outputs[output] = $"${{{{ steps.{BuildStepId}.outputs.{output} }}}}";

        foreach (var path in planned.Uploads)
            job.Steps.Add(new Step
            {
                Name = $"Upload {ArtifactBase(path)}",
                If = planned.Split && !planned.PullRequestTargets.Any(t => t.Produces.Select(NormalizePath).Contains(path)) ? PublishCondition(definition) : null,
                Uses = ActionVersions.UploadArtifact.Reference,
                // Names are unique per leg; overwrite lets "Re-run all jobs" upload again instead of failing with 409.
                With =
                {
                    ["name"] = UploadName(path, planned), ["path"] = path, ["if-no-files-found"] = "error",
                    ["retention-days"] = ArtifactRetentionDays.ToString(System.Globalization.CultureInfo.InvariantCulture), ["overwrite"] = "true",
                },
            });
        job.Steps.AddRange(context.FinalSteps);
        if (definition.ActionPins.Count > 0 || definition.PinsActionsFromTable) Pin(definition, job);
        return job;
    }

    static OrderedDictionary<string, string> MatrixEntry(MatrixLeg leg)
    {
        var entry = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (axis, value) in leg.Partition.Values) entry[axis] = value;
        if (leg.Partition.Values.TryGetValue("platform", out var platform))
        {
            entry["runner"] = leg.Runner.Label;
            entry["platform_pair"] = PlatformPair.Of(platform);
            if (leg.Runner.Emulated)
            {
                entry["emulated"] = "true";
                entry["qemu"] = QemuPlatforms.Of(platform);
            }
            else if (QemuPlatforms.MayRunNatively(leg)) entry["qemu_unless_native"] = QemuPlatforms.Of(platform);
        }
        return entry;
    }

    static Step RunStep(WorkflowDefinition definition, TargetGraph graph, PlannedJob job, List<ExecutableTarget> targets, bool first, OrderedDictionary<string, string> env)
    {
        var names = targets.Select(t => t.Name).ToList();
        var minimal = targets.Where(t => !targets.Any(u => u != t && graph.Plan([u.Name]).Contains(t))).Select(t => t.Name).ToList();
        // The first job may let the engine add dependencies itself, when that yields exactly this job's targets.
        var selfContained = first && graph.Plan(minimal).Where(t => !IsLocalOnly(t)).Select(t => t.Name).ToHashSet().SetEquals(names);
        var command = $"{definition.BuildScript} {string.Join(' ', selfContained ? minimal : names)}";
        // Matrix values reach the shell through env, quoted, as GitHub's script-injection guidance advises
        // (docs.github.com, "Security hardening for GitHub Actions", "Using an intermediate environment variable"):
        // a value with a space or a quote stays one argument, and is never parsed as shell.
        var matrixEnv = job.Axes.ToDictionary(axis => "MATRIX_" + EnvName(axis), axis => $"${{{{ matrix.{axis} }}}}");
        foreach (var axis in job.Axes) command += $" {CliName(definition, graph, job, axis)} \"$MATRIX_{EnvName(axis)}\"";
        if (!selfContained) command += " --skip";
        var step = new Step { Name = $"Run {string.Join(' ', names)}", Run = command };
        foreach (var (k, v) in env) step.Env[k] = v;
        foreach (var (k, v) in matrixEnv) step.Env[k] = v;
        return step;
    }

    // Parameters reach the build through env: inputs, secrets and earlier jobs' outputs are never spliced into the script.
    static OrderedDictionary<string, string> RunEnvironment(WorkflowDefinition definition, TargetGraph graph, PlannedJob job)
    {
        var env = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (parameter, _) in definition.Inputs)
        {
            var info = FindParameter(definition, graph, parameter, "input");
            env[info.EnvironmentVariable] = $"${{{{ inputs.{InputName(info)} }}}}";
        }
        foreach (var (info, secret) in JobSecrets.For(definition, graph, job.Targets))
            env[info.EnvironmentVariable] = $"${{{{ secrets.{secret} }}}}";
        foreach (var (k, v) in job.NeededOutputsEnv) env[k] = v;
        return env;
    }

    /// <summary>The workflow_dispatch input names, for <see cref="WorkflowTriggers"/>: the parameter's command-line name without dashes.</summary>
    internal static string InputName(ParameterInfo parameter) => parameter.CliName.TrimStart('-');

    internal static ParameterInfo FindParameter(WorkflowDefinition definition, TargetGraph graph, string name, string what) =>
        graph.Parameters.FirstOrDefault(p => Normalize(p.Name) == Normalize(name))
        ?? throw new WorkflowDefinitionException($"Workflow '{definition.FileName}' {what} '{name}' names no parameter of the build; known: {string.Join(", ", graph.Parameters.Select(p => p.Name))}.");

    // A leg selects its cell through the parameter named like the axis; without one the engine would refuse the option.
    static string CliName(WorkflowDefinition definition, TargetGraph graph, PlannedJob job, string axis) =>
        graph.Parameters.FirstOrDefault(p => Normalize(p.Name) == Normalize(axis))?.CliName
        ?? throw new WorkflowDefinitionException($"Workflow '{definition.FileName}' job '{job.Id}' is partitioned by '{axis}', but the build has no parameter '{axis}' for a leg to select its value; declare [Parameter] string[] {char.ToUpperInvariant(axis[0])}{axis[1..]}.");

    static string EnvName(string axis) => new(axis.Select(c => char.IsLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_').ToArray());

    static string EnvironmentName(TargetGraph graph, string output) =>
        graph.Parameters.FirstOrDefault(p => Normalize(p.Name) == Normalize(output))?.EnvironmentVariable
        ?? new string(output.Select(c => char.IsLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_').ToArray());

    static string UploadName(string path, PlannedJob producer) =>
        ArtifactBase(path) + string.Concat(producer.Axes.Select(a => "-" + MatrixValue(a)));

    // Only the consumer's own share: a per-image merge downloads that image's digests, a plain fan-in all of them.
    static string DownloadPattern(WorkflowDefinition definition, string path, PlannedJob producer, PlannedJob consumer)
    {
        var shared = producer.Axes.TakeWhile(a => consumer.Axes.Contains(a, StringComparer.OrdinalIgnoreCase)).ToList();
        var pattern = ArtifactBase(path) + string.Concat(shared.Select(a => "-" + MatrixValue(a))) + (shared.Count < producer.Axes.Count ? "-*" : "");
        CheckPatternIsUnambiguous(definition, path, pattern, producer, consumer, shared);
        return pattern;
    }

    // With values such as "web" and "web-admin", "digests-web-*" would also fetch the other image's files: refuse to generate that.
    static void CheckPatternIsUnambiguous(WorkflowDefinition definition, string path, string pattern, PlannedJob producer, PlannedJob consumer, List<string> shared)
    {
        foreach (var consumerLeg in consumer.Legs.DefaultIfEmpty())
        {
            var concrete = Substitute(pattern, consumerLeg?.Partition.Values);
            var regex = new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(concrete).Replace(@"\*", ".*") + "$");
            foreach (var producerLeg in producer.Legs)
            {
                var own = shared.All(a => producerLeg.Partition[a] == consumerLeg?.Partition[a]);
                var name = Substitute(UploadName(path, producer), producerLeg.Partition.Values);
                if (regex.IsMatch(name) != own)
                    throw new WorkflowDefinitionException($"Workflow '{definition.FileName}': artifact pattern '{concrete}' of job '{consumer.Id}' would {(own ? "miss" : "also download")} '{name}'; rename the partition values so none is another one plus a dash-suffix.");
            }
        }
    }

    static string Substitute(string text, IReadOnlyDictionary<string, string>? values)
    {
        if (values is null) return text;
        foreach (var (axis, value) in values)
            text = text.Replace($"${{{{ matrix.{axis} }}}}", value)
                .Replace("${{ matrix.platform_pair }}", axis.Equals("platform", StringComparison.OrdinalIgnoreCase) ? PlatformPair.Of(value) : "${{ matrix.platform_pair }}");
        return text;
    }

    static string MatrixValue(string axis) => axis.Equals("platform", StringComparison.OrdinalIgnoreCase)
        ? "${{ matrix.platform_pair }}"
        : $"${{{{ matrix.{axis} }}}}";

    static string ArtifactBase(string path)
    {
        var last = path.Split('/').Last();
        return new string(last.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray());
    }

    static string NormalizePath(string path) => path.Replace('\\', '/').Trim('/').TrimStart('.', '/');

    static void Pin(WorkflowDefinition definition, Job job)
    {
        foreach (var step in job.Steps.Where(s => s.Uses is { CommitSha: null }))
        {
            var key = step.Uses!.ToString();
            step.Uses = definition.ActionPins.TryGetValue(key, out var sha) ? step.Uses.PinnedTo(sha)
                : definition.PinsActionsFromTable && ActionVersions.Find(step.Uses) is { } known ? known.Pinned
                : throw new WorkflowDefinitionException($"Workflow '{definition.FileName}' pins actions to commits but has no SHA for '{key}'; add it to .PinActionsToCommits(...)"
                    + (definition.PinsActionsFromTable ? " (it is not in ActionVersions)." : "."));
        }
    }

    static string Normalize(string name) => new string(name.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();

    static string Kebab(string name)
    {
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]) && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])))) text.Append('-');
            text.Append(char.ToLowerInvariant(name[i]));
        }
        return text.ToString();
    }
}
