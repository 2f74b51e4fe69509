namespace MultiArch.Build;

/// <summary>
/// A run of consecutive planned targets partitioned by the same axes (see <see cref="TargetGraph.Segments"/>): one
/// lane per partition locally, one matrix job in CI.
/// </summary>
public sealed record Segment(IReadOnlyList<ExecutableTarget> Targets, IReadOnlyList<string> Axes);
