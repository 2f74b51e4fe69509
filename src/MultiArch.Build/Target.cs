namespace MultiArch.Build;

/// <summary>
/// A target is a delegate over its definition: <c>Target Compile =&gt; _ =&gt; _.DependsOn(Restore).Executes(...)</c>.
/// The engine identifies a target by the method behind the delegate, so a property may be evaluated many times.
/// </summary>
public delegate ITargetDefinition Target(ITargetDefinition _);

/// <summary>What happens to a skipped target's own dependencies: Execute (they still run, the default), or Skip (those
/// that nothing else in the plan needs are skipped too).</summary>
public enum DependencyBehavior { Execute, Skip }

/// <summary>The outcome of one target (or one partition of a partitioned target).</summary>
public enum TargetStatus
{
    /// <summary>Not executed because an earlier target failed or the run was aborted.</summary>
    NotRun,
    /// <summary>
    /// Not executed because a target it depends on, directly or through others, failed or was blocked (in an agreeing
    /// partition), while the rest of the plan went on (ProceedAfterFailure, or another partition).
    /// </summary>
    Blocked,
    /// <summary>Skipped by <c>--skip</c> or a condition.</summary>
    Skipped,
    /// <summary>Ran to completion.</summary>
    Succeeded,
    /// <summary>Threw an exception.</summary>
    Failed,
    /// <summary>Has no actions of its own; only groups dependencies.</summary>
    Collective,
    /// <summary>Stopped by Ctrl+C or SIGTERM.</summary>
    Aborted,
}
