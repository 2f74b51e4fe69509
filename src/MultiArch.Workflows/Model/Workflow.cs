namespace MultiArch.Workflows;

/// <summary>
/// A GitHub Actions workflow as a typed model. <see cref="WorkflowRenderer"/> turns it into YAML and
/// <see cref="WorkflowReader"/> reads the YAML back, so the local runner executes exactly what was committed.
/// </summary>
public sealed class Workflow
{
    /// <summary>The name shown in the Actions tab.</summary>
    public required string Name { get; set; }

    /// <summary>The events that start the workflow.</summary>
    public WorkflowTriggers On { get; set; } = new();

    /// <summary>Token permissions for every job unless a job sets its own; empty means no permissions at all.</summary>
    public Permissions Permissions { get; set; } = new();

    /// <summary>Runs of the same group wait for (or cancel) each other.</summary>
    public Concurrency? Concurrency { get; set; }

    /// <summary>Environment variables for every step of every job.</summary>
    public OrderedDictionary<string, string> Env { get; } = new(StringComparer.Ordinal);

    /// <summary>Jobs by id, in the order they are written.</summary>
    public OrderedDictionary<string, Job> Jobs { get; } = new(StringComparer.Ordinal);
}
