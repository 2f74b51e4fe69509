namespace MultiArch.Build;

/// <summary>A target with every reference resolved to a name; the read-only view help, plan and CI use.</summary>
public sealed class ExecutableTarget
{
    internal ExecutableTarget(TargetDefinition definition, int index, Type declaringType)
    {
        Definition = definition;
        Index = index;
        DeclaringType = declaringType;
    }

    internal TargetDefinition Definition { get; }
    internal int Index { get; }
    internal List<string> DependsOnList { get; } = [];
    internal List<string> AfterList { get; } = [];
    internal List<string> BeforeList { get; } = [];
    internal List<string> TriggersList { get; } = [];

    /// <summary>The target's name (the property name).</summary>
    public string Name => Definition.Name;
    /// <summary>The type that declares it (the build class or a component interface).</summary>
    public Type DeclaringType { get; }
    /// <summary>The help line.</summary>
    public string? Description => Definition.DescriptionText;
    /// <summary>Whether it runs when no target is named.</summary>
    public bool IsDefault { get; internal set; }
    /// <summary>Hidden from help.</summary>
    public bool Unlisted => Definition.IsUnlisted;
    /// <summary>Targets that run first (DependentFor folded in).</summary>
    public IReadOnlyList<string> DependsOn => DependsOnList;
    /// <summary>Ordering: runs after these when both are planned.</summary>
    public IReadOnlyList<string> After => AfterList;
    /// <summary>Ordering: runs before these when both are planned.</summary>
    public IReadOnlyList<string> Before => BeforeList;
    /// <summary>Added after this one whenever it is planned (TriggeredBy folded in).</summary>
    public IReadOnlyList<string> Triggers => TriggersList;
    /// <summary>Matrix axes; empty when it runs once.</summary>
    public IReadOnlyList<string> PartitionAxes => Definition.Axes;
    /// <summary>Paths handed to later targets.</summary>
    public IReadOnlyList<string> Produces => Definition.ProducesPaths;
    /// <summary>Paths read from earlier targets.</summary>
    public IReadOnlyList<string> Consumes => Definition.ConsumesPaths;
    /// <summary>Parameters that must have a value.</summary>
    public IReadOnlyList<string> RequiredParameters => Definition.RequiredParameters;
    /// <summary>Free-form metadata.</summary>
    public IReadOnlyDictionary<string, string> Annotations => Definition.Annotations;
    /// <summary>Source text of static conditions.</summary>
    public IReadOnlyList<string> StaticConditions => Definition.StaticConditions.Select(c => c.Text).ToList();
    /// <summary>Source text of dynamic conditions.</summary>
    public IReadOnlyList<string> DynamicConditions => Definition.DynamicConditions.Select(c => c.Text).ToList();
    /// <summary>Whether a failure lets the rest of the plan run.</summary>
    public bool ProceedAfterFailure => Definition.IsProceedAfterFailure;
    /// <summary>Whether it runs even after a failure or abort.</summary>
    public bool AssuredAfterFailure => Definition.IsAssuredAfterFailure;
    /// <summary>Whether it has no actions of its own.</summary>
    public bool IsCollective => Definition.Actions.Count == 0;

    public override string ToString() => Name;
}
