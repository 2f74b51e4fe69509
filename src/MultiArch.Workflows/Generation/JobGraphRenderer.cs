using MultiArch.Build;
using static MultiArch.Build.ParameterInfo;

namespace MultiArch.Workflows;

/// <summary>
/// Turns one <see cref="PlannedJob"/> into the model's <see cref="Job"/>: runner, matrix, contributors' steps, artifact
/// downloads, the build step (split in two where pull requests must not publish), uploads and action pins.
/// </summary>
internal static class JobGraphRenderer
{
    const string BuildStepId = "build";

    public static Job Render(WorkflowDefinition definition, TargetGraph graph, PlannedJob planned)
    {
        var job = new Job
        {
            RunsOn = planned.Legs.Count == 0 ? definition.FanInRunner
                : planned.DescribedAxis is not null ? "${{ matrix.runner }}" : definition.FanInRunner,
            TimeoutMinutes = definition.JobTimeoutMinutes,
            Permissions = Permissions.ContentsRead(),
            If = JobGraphPlanner.JobCondition(definition, planned),
            // A failing cleanup (e.g. no Admin grant on the package: 404) must not turn a published release red; it shows
            // as a failed job that "Re-run failed jobs" retries alone.
            ContinueOnError = planned.Targets.All(JobGraphPlanner.IsContinueOnError) ? true : null,
        };
        job.Needs.AddRange(planned.Needs);
        if (planned.Legs.Count > 0)
        {
            job.Strategy = new JobStrategy { FailFast = false, MaxParallel = definition.MatrixMaxParallel };
            foreach (var leg in planned.Legs) job.Strategy.Include.Add(MatrixEntry(leg));
        }
        var publishCondition = JobGraphPlanner.PublishCondition(definition);
        var context = new JobContext(definition, planned.Id, job, planned.Targets, planned.Axes, planned.Legs,
            planned.Split ? publishCondition : null, planned.Publishes);
        foreach (var contributor in definition.Contributors) contributor.Contribute(context);
        job.Steps.AddRange(context.SetupSteps);

        foreach (var (path, producer) in planned.Downloads) job.Steps.Add(Download(definition, planned, path, producer));

        var prOnly = planned.ThrowawayRegistry && planned.Mode == PublishMode.Never;
        var env = RunEnvironment(definition, graph, planned, secrets: !prOnly);
        var leading = planned.Earlier.All(t => t.PartitionAxes.Count == 0) && planned.Downloads.Count == 0;
        if (planned.ThrowawayRegistry) job.Services[ServiceId] = ThrowawayRegistry(definition, planned);
        if (planned.Split)
        {
            // No secrets: a pull request's build has nothing to log in to, and a fork's code must not see them.
            var pr = RunStep(definition, graph, planned, planned.PullRequestTargets, leading,
                RunEnvironment(definition, graph, planned, secrets: false), planned.ThrowawayRegistry);
            pr.Name += planned.ThrowawayRegistry ? " (pull request: a throwaway registry, nothing published)"
                : " (pull request: no publishing)";
            pr.If = JobGraphPlanner.BuildOnlyCondition(definition);
            job.Steps.Add(pr);
        }
        var run = RunStep(definition, graph, planned, planned.Targets, leading, env, prOnly);
        if (planned.Split) run.If = publishCondition;
        if (planned.Outputs.Count > 0) run.Id = BuildStepId;
        job.Steps.Add(run);
        foreach (var output in planned.Outputs) job.Outputs[output] = $"${{{{ steps.{BuildStepId}.outputs.{output} }}}}";

        foreach (var path in planned.Uploads) job.Steps.Add(Upload(definition, planned, path));
        job.Steps.AddRange(context.FinalSteps);
        if (definition.ActionPins.Count > 0 || definition.PinsActionsFromTable) Pin(definition, job);
        return job;
    }

    // A split job's hand-over only its publishing variant needs runs only where publishing does.
    static string? HandOverCondition(WorkflowDefinition definition, PlannedJob planned, Func<ExecutableTarget, IEnumerable<string>> paths,
        string path) =>
        planned.Split && !planned.PullRequestTargets.Any(t => paths(t).Select(JobGraphPlanner.NormalizePath).Contains(path))
            ? JobGraphPlanner.PublishCondition(definition)
            : null;

    static Step Download(WorkflowDefinition definition, PlannedJob planned, string path, PlannedJob producer)
    {
        var download = new Step
        {
            Name = $"Download {ArtifactNames.Base(path)} from {producer.Id}",
            If = HandOverCondition(definition, planned, t => t.Consumes, path),
            Uses = ActionVersions.DownloadArtifact.Reference,
        };
        if (producer.Legs.Count == 0) download.With["name"] = ArtifactNames.Base(path);
        else download.With["pattern"] = ArtifactNames.DownloadPattern(definition, path, producer, planned);
        download.With["path"] = path;
        if (producer.Legs.Count > 0) download.With["merge-multiple"] = "true";
        return download;
    }

    static Step Upload(WorkflowDefinition definition, PlannedJob planned, string path) => new()
    {
        Name = $"Upload {ArtifactNames.Base(path)}",
        // What a pull request produces against its throwaway registry stays on the runner: no later job runs for it.
        If = planned.Split && planned.ThrowawayRegistry ? JobGraphPlanner.PublishCondition(definition)
            : HandOverCondition(definition, planned, t => t.Produces, path),
        Uses = ActionVersions.UploadArtifact.Reference,
        // Names are unique per leg; overwrite lets "Re-run all jobs" upload again instead of failing with 409.
        With =
        {
            ["name"] = ArtifactNames.Upload(path, planned), ["path"] = path, ["if-no-files-found"] = "error",
            ["retention-days"] = JobGraphBuilder.ArtifactRetentionDays.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["overwrite"] = "true",
        },
    };

    static OrderedDictionary<string, string> MatrixEntry(MatrixLeg leg)
    {
        var entry = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (axis, value) in leg.Partition.Values) entry[axis] = value;
        foreach (var (key, value) in leg.Keys) entry[key] = value;
        return entry;
    }

    // PR mode's registry: a service container on the runner (registry:3, distribution's v3 image on Docker Hub), started
    // only for the runs that build without publishing (an empty image starts no service: docs.github.com, "Workflow
    // syntax", jobs.<job_id>.services.<service_id>.image), on a free host port the job reads from job.services.
    const string ServiceId = "registry";
    const string RegistryImage = "registry:3";
    const string ThrowawayRegistryVariable = "PULL_REQUEST_REGISTRY";

    static ServiceContainer ThrowawayRegistry(WorkflowDefinition definition, PlannedJob planned) => new()
    {
        Image = planned.Mode == PublishMode.Never ? RegistryImage
            : $"${{{{ ({JobGraphPlanner.BuildOnlyCondition(definition)}) && '{RegistryImage}' || '' }}}}",
        Ports = { "5000/tcp" },
    };

    static Step RunStep(WorkflowDefinition definition, TargetGraph graph, PlannedJob job, List<ExecutableTarget> targets, bool leading,
        OrderedDictionary<string, string> env, bool throwawayRegistry = false)
    {
        var names = targets.Select(t => t.Name).ToList();
        var minimal = targets.Where(t => !targets.Any(u => u != t && graph.Plan([u.Name]).Contains(t))).Select(t => t.Name).ToList();
        // A job that only unpartitioned jobs precede (the first, or the legs after a prepare job) lets the engine add
        // dependencies itself, so its local-only checks run in every leg, when that yields exactly this job's targets
        // once what the earlier jobs ran is skipped (their outputs reach it through env).
        var engine = graph.Plan(minimal);
        var skipped = engine.Where(job.Earlier.Contains).Select(t => t.Name).ToList();
        var selfContained = leading && engine.Where(t => !JobGraphPlanner.IsLocalOnly(t) && !job.Earlier.Contains(t))
            .Select(t => t.Name).ToHashSet().SetEquals(names);
        var command = $"{definition.BuildScript} {string.Join(' ', selfContained ? minimal : names)}";
        // Matrix values reach the shell through env, quoted, as GitHub's script-injection guidance advises
        // (docs.github.com, "Security hardening for GitHub Actions", "Using an intermediate environment variable"):
        // a value with a space or a quote stays one argument, and is never parsed as shell.
        var matrixEnv = job.Axes.ToDictionary(axis => "MATRIX_" + EnvName(axis), axis => $"${{{{ matrix.{axis} }}}}");
        foreach (var axis in job.Axes) command += $" {CliName(definition, graph, job, axis)} \"$MATRIX_{EnvName(axis)}\"";
        // On the command line, not in env: it must win over a registry the workflow's env names.
        if (throwawayRegistry)
            command += $" {JobGraphPlanner.ThrowawayRegistryOption(definition, graph)} \"${ThrowawayRegistryVariable}\"";
        if (!selfContained) command += " --skip";
        else if (skipped.Count > 0) command += $" --skip {string.Join(' ', skipped)}";
        var step = new Step { Name = $"Run {string.Join(' ', names)}", Run = command };
        foreach (var (k, v) in env) step.Env[k] = v;
        foreach (var (k, v) in matrixEnv) step.Env[k] = v;
        if (throwawayRegistry) step.Env[ThrowawayRegistryVariable] = $"127.0.0.1:${{{{ job.services.{ServiceId}.ports['5000'] }}}}";
        return step;
    }

    // Parameters reach the build through env: inputs, secrets and earlier jobs' outputs are never spliced into the script.
    static OrderedDictionary<string, string> RunEnvironment(WorkflowDefinition definition, TargetGraph graph, PlannedJob job, bool secrets)
    {
        var env = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (parameter, _) in definition.Inputs)
        {
            var info = JobGraphBuilder.FindParameter(definition, graph, parameter, "input");
            env[info.EnvironmentVariable] = $"${{{{ inputs.{JobGraphBuilder.InputName(info)} }}}}";
        }
        foreach (var (info, secret) in secrets ? JobSecrets.For(definition, graph, job.Targets) : [])
            env[info.EnvironmentVariable] = $"${{{{ secrets.{secret} }}}}";
        foreach (var (k, v) in job.NeededOutputsEnv) env[k] = v;
        return env;
    }

    // A leg selects its cell through the parameter named like the axis; without one the engine would refuse the option.
    static string CliName(WorkflowDefinition definition, TargetGraph graph, PlannedJob job, string axis) =>
        graph.Parameters.FirstOrDefault(p => Normalize(p.Name) == Normalize(axis))?.CliName
        ?? throw new WorkflowDefinitionException($"Workflow '{definition.FileName}' job '{job.Id}' is partitioned by '{axis}', "
            + $"but the build has no parameter '{axis}' for a leg to select its value; "
            + $"declare [Parameter] string[] {char.ToUpperInvariant(axis[0])}{axis[1..]}.");

    static string EnvName(string axis) => new(axis.Select(c => char.IsLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_').ToArray());

    static void Pin(WorkflowDefinition definition, Job job)
    {
        foreach (var step in job.Steps.Where(s => s.Uses is { CommitSha: null }))
        {
            var key = step.Uses!.ToString();
            step.Uses = definition.ActionPins.TryGetValue(key, out var sha) ? step.Uses.PinnedTo(sha)
                : definition.PinsActionsFromTable && ActionVersions.Find(step.Uses) is { } known ? known.Pinned
                : throw new WorkflowDefinitionException(
                    $"Workflow '{definition.FileName}' pins actions to commits but has no SHA for '{key}'; "
                    + "add it to .PinActionsToCommits(...)" + (definition.PinsActionsFromTable ? " (it is not in ActionVersions)." : "."));
        }
    }

}
