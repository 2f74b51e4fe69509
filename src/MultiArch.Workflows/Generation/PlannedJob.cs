using MultiArch.Build;

namespace MultiArch.Workflows;

/// <summary>
/// One job of the planned graph, before any YAML: its targets, matrix legs, needs, artifacts handed over and
/// outputs. <see cref="JobGraphPlanner"/> fills it; <see cref="JobGraphRenderer"/> turns it into a <see cref="Job"/>.
/// </summary>
internal sealed class PlannedJob
{
    public required string Id { get; init; }
    public required int Index { get; init; }
    public required List<ExecutableTarget> Targets { get; init; }
    /// <summary>What a pull request runs; all of <see cref="Targets"/> when nothing publishes.</summary>
    public required List<ExecutableTarget> PullRequestTargets { get; init; }
    public required IReadOnlyList<string> Axes { get; init; }
    public required List<MatrixLeg> Legs { get; init; }
    /// <summary>The axis of this job the build describes (runner per value, its keys, its artifact-name slug), or null.</summary>
    public MatrixAxis? DescribedAxis { get; init; }
    public required PublishMode Mode { get; init; }
    /// <summary>The targets of the jobs before this one: a leg skips them (their outputs reach it through env).</summary>
    public required IReadOnlyList<ExecutableTarget> Earlier { get; init; }
    public List<string> Needs { get; } = [];
    public List<(string Path, PlannedJob Producer)> Downloads { get; } = [];
    public List<string> Uploads { get; } = [];
    public List<string> Outputs { get; } = [];
    /// <summary>Earlier jobs' outputs this job reads, by the environment variable that carries each to the build.</summary>
    public OrderedDictionary<string, string> NeededOutputsEnv { get; } = new(StringComparer.Ordinal);
    /// <summary>The job where publishing starts, run whole on a pull request against a registry service of its own that
    /// the job's end throws away (PR mode): publishing targets and the user's targets between them run, nothing leaves the
    /// runner. Later jobs (the merge) do not run on pull requests.</summary>
    public bool ThrowawayRegistry { get; init; }
    public bool RunsOnPullRequests => PullRequestTargets.Count > 0;
    /// <summary>Whether the job publishes anywhere but its throwaway registry.</summary>
    public bool Publishes => Mode != PublishMode.Never && Targets.Any(JobGraphPlanner.IsPublishing);
    /// <summary>A job whose build step runs in two variants: a pull request's (without its publishing targets, or against
    /// the throwaway registry), and the publishing one.</summary>
    public bool Split => Mode == PublishMode.ExceptPullRequests && PullRequestTargets.Count > 0
        && (PullRequestTargets.Count < Targets.Count || ThrowawayRegistry);
}
