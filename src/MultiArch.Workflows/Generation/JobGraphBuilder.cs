using MultiArch.Build;
using static MultiArch.Build.ParameterInfo;

namespace MultiArch.Workflows;

/// <summary>
/// Derives a workflow from the engine's plan: <see cref="JobGraphPlanner"/> decides the jobs (segments, legs, needs,
/// artifacts, outputs, where publishing stops) and <see cref="JobGraphRenderer"/> renders each as a model <see cref="Job"/>;
/// this class adds the workflow around them (name, triggers, permissions, concurrency, env).
/// </summary>
public static class JobGraphBuilder
{
    /// <summary>Artifacts outlive the run long enough to re-run the merge the next day ("Re-run failed jobs").</summary>
    public const int ArtifactRetentionDays = 3;

    /// <summary>The workflow for <paramref name="definition"/> over the build's <paramref name="graph"/>.</summary>
    public static Workflow Build(WorkflowDefinition definition, TargetGraph graph)
    {
        if (definition.Triggers.IsEmpty)
            throw new WorkflowDefinitionException($"Workflow '{definition.FileName}' has no trigger; "
                + "add .OnDispatch(), .OnPush(...), .OnPullRequest() or .OnSchedule(...).");
        if (definition.Targets.Count == 0)
            throw new WorkflowDefinitionException($"Workflow '{definition.FileName}' invokes no target; "
                + "add .Invokes(\"MergeManifest\") or .Invokes<IComponent>(x => x.Target).");
        var jobs = JobGraphPlanner.Plan(definition, graph);
        var workflow = new Workflow
        {
            Name = definition.Name,
            On = Triggers(definition, graph),
            Permissions = new Permissions(),
            Concurrency = definition.ConcurrencyGroup ?? DefaultConcurrency(definition.PublishMode),
        };
        foreach (var (k, v) in definition.Env) workflow.Env[k] = v;
        foreach (var job in jobs) workflow.Jobs[job.Id] = JobGraphRenderer.Render(definition, graph, job);
        return workflow;
    }

    /// <summary>The workflow_dispatch input names, for <see cref="WorkflowTriggers"/>: the parameter's command-line name
    /// without dashes.</summary>
    internal static string InputName(ParameterInfo parameter) => parameter.CliName.TrimStart('-');

    internal static ParameterInfo FindParameter(WorkflowDefinition definition, TargetGraph graph, string name, string what) =>
        graph.Parameters.FirstOrDefault(p => Normalize(p.Name) == Normalize(name))
        ?? throw new WorkflowDefinitionException($"Workflow '{definition.FileName}' {what} '{name}' names no parameter of the build; "
            + $"known: {string.Join(", ", graph.Parameters.Select(p => p.Name))}.");

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
}
