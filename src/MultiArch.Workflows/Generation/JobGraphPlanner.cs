using MultiArch.Build;
using static MultiArch.Build.ParameterInfo;

namespace MultiArch.Workflows;

/// <summary>
/// Plans a workflow's job graph from the engine's plan, as data: the engine's segments become jobs, a partitioned
/// segment gets one matrix leg per partition, every later job <c>needs:</c> the one before, <c>Produces</c>/<c>Consumes</c>
/// pairs become artifact hand-overs, annotated outputs become job outputs, and pull requests stop before the first
/// publishing target. Nothing here knows YAML; <see cref="JobGraphRenderer"/> does.
/// </summary>
internal static class JobGraphPlanner
{
    const string NotPullRequest = "github.event_name != 'pull_request'";
    // A fork's push must not publish into the upstream owner's namespace (403): its publishing jobs and steps skip.
    const string NotFork = "github.event.repository.fork != true";

    /// <summary>The jobs for <paramref name="definition"/>, in order, with their needs, artifacts and outputs wired.</summary>
    public static List<PlannedJob> Plan(WorkflowDefinition definition, TargetGraph graph)
    {
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
        WireOutputs(graph, jobs);
        return jobs;
    }

    /// <summary>The condition under which publishing steps and jobs run, or null when they always do.</summary>
    public static string? PublishCondition(WorkflowDefinition definition) =>
        (definition.PublishMode, definition.PublishesFromForks) switch
        {
            (PublishMode.ExceptPullRequests, false) => $"{NotPullRequest} && {NotFork}",
            (PublishMode.ExceptPullRequests, true) => NotPullRequest,
            (_, false) => NotFork,
            _ => null,
        };

    /// <summary>The negation, for the build-only variant of a split step (a pull request, or a fork's push).</summary>
    public static string BuildOnlyCondition(WorkflowDefinition definition) => definition.PublishesFromForks
        ? "github.event_name == 'pull_request'"
        : "github.event_name == 'pull_request' || github.event.repository.fork == true";

    /// <summary>The <c>if:</c> of a whole job: publishing-only jobs skip where publishing does.</summary>
    public static string? JobCondition(WorkflowDefinition definition, PlannedJob job) =>
        job.Mode == PublishMode.ExceptPullRequests && !job.RunsOnPullRequests ? PublishCondition(definition)
        : job.Mode == PublishMode.Always && job.Publishes ? PublishCondition(definition)
        : null;

    public static bool IsLocalOnly(ExecutableTarget t) => t.Annotations.GetValueOrDefault(WorkflowAnnotations.LocalOnly) == "true";

    public static bool IsPublishing(ExecutableTarget t) => t.Annotations.GetValueOrDefault(WorkflowAnnotations.Publishes) == "true";

    public static bool IsContinueOnError(ExecutableTarget t) =>
        t.Annotations.GetValueOrDefault(WorkflowAnnotations.ContinueOnError) == "true";

    /// <summary>An artifact path in one spelling, so producers and consumers match.</summary>
    public static string NormalizePath(string path) => path.Replace('\\', '/').Trim('/').TrimStart('.', '/');

    // Without a login or a registry value, a build with a Registry parameter publishes to its default, 127.0.0.1:5000
    // on the runner: a green run that published nothing anyone can pull.
    static void CheckNamesRegistry(WorkflowDefinition definition, TargetGraph graph)
    {
        if (definition.RegistryLogin is not null) return;
        if (RegistryParameter(graph) is not { } registry || Sets(definition, registry)) return;
        throw new WorkflowDefinitionException($"Workflow '{definition.FileName}' publishes but names no registry "
            + "(it would push to 127.0.0.1:5000 on the runner); "
            + $"add .WithEnv(\"{registry.EnvironmentVariable}\", \"ghcr.io\").Login(RegistryLogin.GitHubContainerRegistry).");
    }

    /// <summary>Whether the workflow gives <paramref name="parameter"/> a value: its env, an input or a secret.</summary>
    public static bool Sets(WorkflowDefinition definition, ParameterInfo parameter)
    {
        bool Named(string name) => Normalize(name) == Normalize(parameter.Name);
        return definition.Env.ContainsKey(parameter.EnvironmentVariable) || definition.Inputs.Any(i => Named(i.Parameter))
            || definition.Secrets.Any(s => Named(s.Parameter));
    }

    /// <summary>The option a pull request's leg names its throwaway registry with: <c>--registries</c> when the workflow
    /// sets that list (it would otherwise come with --registry, which the build refuses), else <c>--registry</c>.</summary>
    public static string ThrowawayRegistryOption(WorkflowDefinition definition, TargetGraph graph) =>
        graph.Parameters.FirstOrDefault(p => Normalize(p.Name) == "registries") is { } list && Sets(definition, list)
            ? list.CliName
            : RegistryParameter(graph)!.CliName;

    /// <summary>The build's <c>Registry</c> parameter: where a build publishes, which a pull request points elsewhere.</summary>
    public static ParameterInfo? RegistryParameter(TargetGraph graph) =>
        graph.Parameters.FirstOrDefault(p => Normalize(p.Name) == "registry");

    static List<PlannedJob> PlanJobs(WorkflowDefinition definition, TargetGraph graph, IReadOnlyList<ExecutableTarget> plan,
        PublishMode mode, int cut)
    {
        var jobs = new List<PlannedJob>();
        var position = 0;
        // The engine's segments, the same the executor runs as lanes; a target naming another job starts a segment.
        var segments = TargetGraph.Segments(plan, t => t.Annotations.GetValueOrDefault(WorkflowAnnotations.Job));
        foreach (var group in segments.Select(s => s.Targets.ToList()))
        {
            var start = position;
            position += group.Count;
            var beforeCut = group.Take(Math.Max(0, cut - start)).ToList();
            // PR mode: the job where publishing starts runs whole on a pull request, against a throwaway registry, when
            // the build has a registry parameter to point there and nothing before it in the job publishes.
            var throwaway = mode != PublishMode.Always && start <= cut && cut < position && beforeCut.Count > 0
                && RegistryParameter(graph) is not null;
            var targets = mode == PublishMode.Never && !throwaway ? beforeCut : group;
            if (targets.Count == 0) break; // a pull-request-only workflow ends where publishing starts
            var axes = group[0].PartitionAxes;
            var id = JobId(group);
            var described = DescribedAxis(graph, axes);
            if (jobs.Any(j => j.Id == id))
                throw new WorkflowDefinitionException($"Workflow '{definition.FileName}' would have two jobs named '{id}'; "
                    + "annotate one target with .Annotate(WorkflowAnnotations.Job, \"another-name\").");
            var job = new PlannedJob
            {
                Id = id, Index = jobs.Count, Targets = targets, Axes = axes, Mode = mode,
                PullRequestTargets = mode == PublishMode.Always || throwaway ? targets : beforeCut,
                ThrowawayRegistry = throwaway,
                Legs = Legs(definition, graph, axes, id, described),
                DescribedAxis = described,
                Earlier = jobs.SelectMany(j => j.Targets).ToList(),
            };
            if (jobs.Count > 0) job.Needs.Add(jobs[^1].Id);
            jobs.Add(job);
        }
        return jobs;
    }

    static string JobId(List<ExecutableTarget> group) =>
        group.Select(t => t.Annotations.GetValueOrDefault(WorkflowAnnotations.Job)).LastOrDefault(n => n is not null)
        ?? Words(group[^1].Name, '-').ToLowerInvariant();

    static List<MatrixLeg> Legs(WorkflowDefinition definition, TargetGraph graph, IReadOnlyList<string> axes, string jobId,
        MatrixAxis? described)
    {
        if (axes.Count == 0) return [];
        IReadOnlyList<Partition> partitions;
        try { partitions = graph.DeclaredPartitions(axes); }
        catch (BuildException e) { throw new WorkflowDefinitionException($"Workflow '{definition.FileName}' job '{jobId}': {e.Message}"); }
        if (partitions.Count == 0)
            throw new WorkflowDefinitionException($"Workflow '{definition.FileName}' job '{jobId}' is partitioned by "
                + $"{string.Join(", ", axes)} but the build gives no partitions; give the axis values a default.");
        return partitions.Select(p =>
        {
            if (described is null || !p.Values.TryGetValue(described.Name, out var value))
                return new MatrixLeg(p, new Runner(definition.FanInRunner));
            var runner = described.RunnerFor(definition, value);
            var keys = new OrderedDictionary<string, string>(StringComparer.Ordinal) { ["runner"] = runner.Label };
            described.AddKeys(value, runner, keys);
            return new MatrixLeg(p, runner) { Keys = keys };
        }).ToList();
    }

    /// <summary>The first of a job's axes the build describes (<see cref="IDescribesMatrixAxes"/>), or null.</summary>
    static MatrixAxis? DescribedAxis(TargetGraph graph, IReadOnlyList<string> axes) =>
        (graph.Build as IDescribesMatrixAxes)?.MatrixAxes.FirstOrDefault(a => axes.Contains(a.Name, StringComparer.OrdinalIgnoreCase));

    static void WireArtifacts(List<PlannedJob> jobs)
    {
        bool ProducesPath(PlannedJob job, string path) => job.Targets.Any(t => t.Produces.Select(NormalizePath).Contains(path));
        foreach (var job in jobs)
            foreach (var path in job.Targets.SelectMany(t => t.Consumes).Select(NormalizePath).Distinct())
            {
                if (ProducesPath(job, path)) continue; // handed over inside the job
                var producer = jobs.Take(job.Index).LastOrDefault(j => ProducesPath(j, path));
                if (producer is null) continue;
                job.Downloads.Add((path, producer));
                if (!producer.Uploads.Contains(path)) producer.Uploads.Add(path);
                if (!job.Needs.Contains(producer.Id)) job.Needs.Add(producer.Id);
            }
    }

    static void WireOutputs(TargetGraph graph, List<PlannedJob> jobs)
    {
        foreach (var producer in jobs)
        {
            producer.Outputs.AddRange(producer.Targets
                .SelectMany(t => t.Annotations.GetValueOrDefault(WorkflowAnnotations.Outputs)
                    ?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [])
                .Distinct(StringComparer.Ordinal));
            foreach (var later in jobs.Skip(producer.Index + 1))
                foreach (var output in producer.Outputs)
                {
                    if (!later.Needs.Contains(producer.Id)) later.Needs.Add(producer.Id);
                    later.NeededOutputsEnv[EnvironmentName(graph, output)] = $"${{{{ needs.{producer.Id}.outputs.{output} }}}}";
                }
        }
    }

    static string EnvironmentName(TargetGraph graph, string output) =>
        graph.Parameters.FirstOrDefault(p => Normalize(p.Name) == Normalize(output))?.EnvironmentVariable
        ?? new string(output.Select(c => char.IsLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_').ToArray());
}
