using MultiArch.Build;

namespace MultiArch.Workflows;

/// <summary>One leg of a generated matrix: the engine partition and, when it has a platform, the runner building it.</summary>
/// <param name="Partition">Axis values, e.g. <c>image=web platform=linux/arm64</c>.</param>
/// <param name="Runner">The runner of the leg.</param>
public sealed record MatrixLeg(Partition Partition, Runner Runner);
