namespace MultiArch.Workflows;

/// <summary>The <c>on:</c> section: which events start the workflow. A null trigger is absent.</summary>
public sealed class WorkflowTriggers
{
    /// <summary>Manual runs from the Actions tab, with typed inputs.</summary>
    public WorkflowDispatchTrigger? WorkflowDispatch { get; set; }

    /// <summary>Pushes to these branches or tags.</summary>
    public PushTrigger? Push { get; set; }

    /// <summary>Pull requests (against these branches, or all when empty).</summary>
    public PullRequestTrigger? PullRequest { get; set; }

    /// <summary>Cron schedules (UTC, five fields).</summary>
    public List<string> Schedule { get; } = [];

    /// <summary>True when no trigger is set (such a workflow never runs).</summary>
    public bool IsEmpty => WorkflowDispatch is null && Push is null && PullRequest is null && Schedule.Count == 0;
}

/// <summary><c>workflow_dispatch</c> with its inputs.</summary>
public sealed class WorkflowDispatchTrigger
{
    /// <summary>Inputs by name, in display order.</summary>
    public OrderedDictionary<string, WorkflowInput> Inputs { get; } = new(StringComparer.Ordinal);
}

/// <summary>One <c>workflow_dispatch</c> input.</summary>
public sealed class WorkflowInput
{
    /// <summary>Shown next to the field.</summary>
    public string? Description { get; set; }

    /// <summary>Whether the run form insists on a value.</summary>
    public bool Required { get; set; }

    /// <summary>Pre-filled value.</summary>
    public string? Default { get; set; }

    /// <summary><c>string</c>, <c>boolean</c>, <c>choice</c>, <c>number</c> or <c>environment</c>.</summary>
    public string Type { get; set; } = "string";

    /// <summary>The choices of a <c>choice</c> input.</summary>
    public List<string> Options { get; } = [];
}

/// <summary><c>push</c> filtered by branches and tags.</summary>
public sealed class PushTrigger
{
    /// <summary>Branch filters, e.g. <c>main</c>.</summary>
    public List<string> Branches { get; } = [];

    /// <summary>Tag filters, e.g. <c>v*</c>.</summary>
    public List<string> Tags { get; } = [];
}

/// <summary><c>pull_request</c> filtered by target branch.</summary>
public sealed class PullRequestTrigger
{
    /// <summary>Target-branch filters; empty means every branch.</summary>
    public List<string> Branches { get; } = [];
}
