namespace MultiArch.Provisioning;

/// <summary>
/// One thing a run needs from the machine. <see cref="CheckAsync"/> looks without changing anything;
/// <see cref="ProvideAsync"/> runs only when the check found something missing and the run may provision.
/// </summary>
public abstract class ProvisioningStep
{
    /// <summary>A short name for the step's log line, e.g. <c>dockerd</c>.</summary>
    public abstract string Name { get; }

    /// <summary>What this step needs root and a Debian-family system for (installing packages, starting daemons).</summary>
    public virtual bool NeedsRoot => true;

    /// <summary>Names of earlier steps this one cannot do without (it is not tried when one of them is missing).</summary>
    public virtual IReadOnlyList<string> Needs => [];

    /// <summary>Null with a note of what was found, or the one phrase saying what is missing.</summary>
    public abstract Task<StepCheck> CheckAsync(ProvisioningContext context, CancellationToken cancellationToken);

    /// <summary>Provides what the check found missing; returns what it did, in a few words.</summary>
    public abstract Task<string> ProvideAsync(ProvisioningContext context, StepCheck missing, CancellationToken cancellationToken);
}

/// <summary>The outcome of a check: <see cref="Missing"/> is null when the step is satisfied.</summary>
/// <param name="Found">What was found (shown when satisfied), e.g. "running (20.10.24)".</param>
/// <param name="Missing">What is missing, phrased to follow "missing: ", e.g. "the Docker engine (no socket at
/// /var/run/docker.sock)".</param>
public sealed record StepCheck(string? Found, string? Missing)
{
    /// <summary>Satisfied, with what was found.</summary>
    public static StepCheck Ok(string found) => new(found, null);

    /// <summary>Not satisfied.</summary>
    public static StepCheck Lacks(string missing) => new(null, missing);

    /// <summary>True when nothing is missing.</summary>
    public bool Satisfied => Missing is null;
}
