using MultiArch.Build;

namespace MultiArch.Workflows;

/// <summary>
/// What a <see cref="IJobContributor"/> sees of one job being generated: its targets (with their annotations), its
/// matrix legs, and whether it publishes. Contributors add setup steps, final steps, permissions and env to it.
/// </summary>
public sealed class JobContext
{
    internal JobContext(WorkflowDefinition definition, string id, Job job, IReadOnlyList<ExecutableTarget> targets,
        IReadOnlyList<string> axes, IReadOnlyList<MatrixLeg> legs, string? publishCondition, bool publishes)
    {
        (Definition, Id, Job, Targets, Axes, Legs, PublishCondition, Publishes) = (definition, id, job, targets, axes, legs,
            publishCondition, publishes);
    }

    /// <summary>The workflow being generated.</summary>
    public WorkflowDefinition Definition { get; }

    /// <summary>The job id, e.g. <c>build</c>.</summary>
    public string Id { get; }

    /// <summary>The job model: set <c>Permissions</c>, <c>Env</c> or <c>Outputs</c> here.</summary>
    public Job Job { get; }

    /// <summary>The targets this job runs, in plan order.</summary>
    public IReadOnlyList<ExecutableTarget> Targets { get; }

    /// <summary>The matrix axes (empty for a single job).</summary>
    public IReadOnlyList<string> Axes { get; }

    /// <summary>One entry per matrix leg (empty for a single job).</summary>
    public IReadOnlyList<MatrixLeg> Legs { get; }

    /// <summary>Whether this job runs a target annotated <see cref="WorkflowAnnotations.Publishes"/>.</summary>
    public bool Publishes { get; }

    /// <summary>The <c>if:</c> for steps that only make sense when publishing (login), or null when the job always publishes or never
    /// does.</summary>
    public string? PublishCondition { get; }

    /// <summary>True when at least one leg runs emulated; such legs have <c>matrix.emulated == true</c>.</summary>
    public bool AnyLegEmulated => Legs.Any(l => l.Runner.Emulated);

    /// <summary>Steps placed after checkout and before the build step, in contributor order.</summary>
    public List<Step> SetupSteps { get; } = [];

    /// <summary>Steps placed after the build step and its uploads.</summary>
    public List<Step> FinalSteps { get; } = [];

    /// <summary>Whether any of the job's targets has this annotation (with this value, when given).</summary>
    public bool HasAnnotation(string key, string? value = null) => TargetsAnnotated(key, value).Any();

    /// <summary>The job's targets that have this annotation (with this value, when given).</summary>
    public IEnumerable<ExecutableTarget> TargetsAnnotated(string key, string? value = null) =>
        Targets.Where(t => t.Annotations.TryGetValue(key, out var v) && (value is null || v == value));
}
