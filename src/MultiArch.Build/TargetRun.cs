namespace MultiArch.Build;

/// <summary>One row of the summary: a target, or one partition of a partitioned target.</summary>
public sealed class TargetRun(ExecutableTarget target, Partition? partition)
{
    /// <summary>The target.</summary>
    public ExecutableTarget Target { get; } = target;
    /// <summary>The partition, or null for a target that runs once.</summary>
    public Partition? Partition { get; } = partition;
    /// <summary>The outcome.</summary>
    public TargetStatus Status { get; internal set; } = TargetStatus.NotRun;
    /// <summary>Wall time of its actions.</summary>
    public TimeSpan Duration { get; internal set; }
    /// <summary>Why it was skipped, or the failure's message.</summary>
    public string? Note { get; internal set; }
    /// <summary>"Name" or "Name [partition]".</summary>
    public string Title => Partition is null ? Target.Name : $"{Target.Name} [{Partition.Key}]";
}
