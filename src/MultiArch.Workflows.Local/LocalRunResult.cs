namespace MultiArch.Workflows.Local;

/// <summary>The outcome of a local workflow run: one entry per job, in the order they ran.</summary>
/// <param name="Jobs">Per-job results.</param>
/// <param name="ArtifactsDirectory">Where uploaded artifacts were kept (one folder per artifact name).</param>
public sealed record LocalRunResult(IReadOnlyList<LocalJobResult> Jobs, string ArtifactsDirectory)
{
    /// <summary>True when every job succeeded or was skipped by its own condition.</summary>
    public bool Succeeded => Jobs.All(j => j.Status is LocalStatus.Succeeded or LocalStatus.Skipped);

    /// <summary>The result of a job by id.</summary>
    public LocalJobResult this[string jobId] => Jobs.Single(j => j.Id == jobId);
}

/// <summary>One job: its legs (one for a job without matrix) and the outputs later jobs saw.</summary>
public sealed record LocalJobResult(string Id, LocalStatus Status, string? Reason, IReadOnlyList<LocalLegResult> Legs,
    IReadOnlyDictionary<string, string> Outputs);

/// <summary>One matrix leg (a separate set of processes, like a separate runner).</summary>
public sealed record LocalLegResult(IReadOnlyDictionary<string, string> Matrix, LocalStatus Status, IReadOnlyList<LocalStepResult> Steps)
{
    /// <summary>What differs from a hosted runner, e.g. an arm64-labelled leg that ran here under emulation.</summary>
    public string? Note { get; init; }
}

/// <summary>One step: how it ended, why it was skipped, and its masked output.</summary>
public sealed record LocalStepResult(string Name, LocalStatus Status, string? Reason, string Output)
{
    /// <summary>When the step started, counted from the leg's start.</summary>
    public TimeSpan Started { get; init; }

    /// <summary>How long the step ran (zero when it was skipped).</summary>
    public TimeSpan Elapsed { get; init; }
}

/// <summary>How a job, leg or step ended.</summary>
public enum LocalStatus
{
    /// <summary>Ran and succeeded (or was emulated successfully).</summary>
    Succeeded,
    /// <summary>Ran and failed.</summary>
    Failed,
    /// <summary>Not run: its condition was false, it is a setup step this machine provides, or something before it failed.</summary>
    Skipped,
}
