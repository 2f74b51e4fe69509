namespace MultiArch.Workflows;

/// <summary>One job: a runner, an optional matrix, and steps.</summary>
public sealed class Job
{
    /// <summary>Display name; the id is used when null.</summary>
    public string? Name { get; set; }

    /// <summary>Jobs that must succeed first (ids).</summary>
    public List<string> Needs { get; } = [];

    /// <summary>Condition (an expression without <c>${{ }}</c>) under which the job runs.</summary>
    public string? If { get; set; }

    /// <summary>The runner label or an expression such as <c>${{ matrix.runner }}</c>.</summary>
    public required string RunsOn { get; set; }

    /// <summary>When true, a failure of this job does not fail the workflow run (the job still shows as failed).</summary>
    public bool? ContinueOnError { get; set; }

    /// <summary>The job is cancelled after this many minutes.</summary>
    public int? TimeoutMinutes { get; set; }

    /// <summary>Token permissions of this job.</summary>
    public Permissions? Permissions { get; set; }

    /// <summary>Runs of the same group wait for (or cancel) each other.</summary>
    public Concurrency? Concurrency { get; set; }

    /// <summary>The matrix, when the job runs as several legs.</summary>
    public JobStrategy? Strategy { get; set; }

    /// <summary>Values later jobs read as <c>needs.&lt;id&gt;.outputs.&lt;name&gt;</c>.</summary>
    public OrderedDictionary<string, string> Outputs { get; } = new(StringComparer.Ordinal);

    /// <summary>Environment variables for every step of the job.</summary>
    public OrderedDictionary<string, string> Env { get; } = new(StringComparer.Ordinal);

    /// <summary>Service containers the runner starts for the job, by id (<c>job.services.&lt;id&gt;</c>).</summary>
    public OrderedDictionary<string, ServiceContainer> Services { get; } = new(StringComparer.Ordinal);

    /// <summary>The steps, in order.</summary>
    public List<Step> Steps { get; } = [];
}
