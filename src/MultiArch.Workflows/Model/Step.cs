namespace MultiArch.Workflows;

/// <summary>One step: either <see cref="Uses"/> an action or <see cref="Run"/>s a script.</summary>
public sealed class Step
{
    /// <summary>Shown in the log.</summary>
    public string? Name { get; set; }

    /// <summary>Lets later steps read <c>steps.&lt;id&gt;.outputs</c>.</summary>
    public string? Id { get; set; }

    /// <summary>Condition (an expression without <c>${{ }}</c>).</summary>
    public string? If { get; set; }

    /// <summary>The action this step runs.</summary>
    public ActionReference? Uses { get; set; }

    /// <summary>The action's inputs.</summary>
    public OrderedDictionary<string, string> With { get; } = new(StringComparer.Ordinal);

    /// <summary>Folder the script runs in.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>Environment of this step; the only place untrusted or secret values may enter a script.</summary>
    public OrderedDictionary<string, string> Env { get; } = new(StringComparer.Ordinal);

    /// <summary>The bash script.</summary>
    public string? Run { get; set; }
}
