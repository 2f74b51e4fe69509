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
    public required PublishMode Mode { get; init; }
    public List<string> Needs { get; } = [];
    public List<(string Path, PlannedJob Producer)> Downloads { get; } = [];
    public List<string> Uploads { get; } = [];
    public List<string> Outputs { get; } = [];
    /// <summary>Earlier jobs' outputs this job reads, by the environment variable that carries each to the build.</summary>
    public OrderedDictionary<string, string> NeededOutputsEnv { get; } = new(StringComparer.Ordinal);
    public bool RunsOnPullRequests => PullRequestTargets.Count > 0;
    public bool Publishes => Targets.Any(JobGraphPlanner.IsPublishing);
    /// <summary>A job whose build step runs in two variants: without its publishing targets on a pull request, all of them
    /// otherwise.</summary>
    public bool Split => Mode == PublishMode.ExceptPullRequests && PullRequestTargets.Count > 0 && PullRequestTargets.Count < Targets.Count;
}
