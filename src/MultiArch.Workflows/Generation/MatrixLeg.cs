using MultiArch.Build;

namespace MultiArch.Workflows;

/// <summary>One leg of a generated matrix: the engine partition, the runner building it, and the keys its described axis
/// adds to its matrix entry (<see cref="MatrixAxis"/>).</summary>
/// <param name="Partition">Axis values, e.g. <c>image=web platform=linux/arm64</c>.</param>
/// <param name="Runner">The runner of the leg.</param>
public sealed record MatrixLeg(Partition Partition, Runner Runner)
{
    /// <summary>The described axis's keys, <c>runner</c> first; empty when no axis of the leg is described.</summary>
    public OrderedDictionary<string, string> Keys { get; init; } = new(StringComparer.Ordinal);
}
