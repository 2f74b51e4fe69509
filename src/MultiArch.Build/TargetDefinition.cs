using System.Linq.Expressions;
using System.Reflection;

namespace MultiArch.Build;

/// <summary>A dependency as written: a delegate, a component's member, or a component's one target (optional: the Try forms).</summary>
internal abstract record TargetReference
{
    internal sealed record Delegate(Target Target) : TargetReference;
    internal sealed record Member(Type ComponentType, Func<object, Target> Select) : TargetReference;
    internal sealed record Component(Type Type, bool Optional = false) : TargetReference;
}

/// <summary>Records one target's definition as lists; nothing here resolves or runs.</summary>
internal sealed class TargetDefinition(string name, IBuild build) : ITargetDefinition
{
    public string Name { get; } = name;
    public string? DescriptionText;
    public readonly List<TargetReference> DependsOnRefs = [], DependentForRefs = [], AfterRefs = [], BeforeRefs = [], TriggersRefs = [],
        TriggeredByRefs = [];
    public readonly List<(Func<bool> Condition, string Text)> StaticConditions = [], DynamicConditions = [];
    public readonly List<string> RequiredParameters = [], ProducesPaths = [], ConsumesPaths = [], Axes = [];
    public readonly List<Func<Partition?, Task>> Actions = [];
    public readonly Dictionary<string, string> Annotations = new(StringComparer.Ordinal);
    public bool IsProceedAfterFailure, IsAssuredAfterFailure, IsUnlisted;
    public DependencyBehavior SkippedDependencyBehavior = DependencyBehavior.Execute;

    public ITargetDefinition Description(string description) { DescriptionText = description; return this; }

    public ITargetDefinition DependsOn(params Target[] targets) => Add(DependsOnRefs, targets);
    public ITargetDefinition DependsOn<T>() where T : IBuild => Add<T>(DependsOnRefs);
    public ITargetDefinition TryDependsOn<T>() where T : IBuild => Add<T>(DependsOnRefs, optional: true);
    public ITargetDefinition TryAfter<T>() where T : IBuild => Add<T>(AfterRefs, optional: true);
    public ITargetDefinition TryBefore<T>() where T : IBuild => Add<T>(BeforeRefs, optional: true);
    public ITargetDefinition DependsOn<T>(params Func<T, Target>[] targets) where T : IBuild => Add(DependsOnRefs, targets);
    public ITargetDefinition DependentFor(params Target[] targets) => Add(DependentForRefs, targets);
    public ITargetDefinition DependentFor<T>() where T : IBuild => Add<T>(DependentForRefs);
    public ITargetDefinition DependentFor<T>(params Func<T, Target>[] targets) where T : IBuild => Add(DependentForRefs, targets);
    public ITargetDefinition After(params Target[] targets) => Add(AfterRefs, targets);
    public ITargetDefinition After<T>() where T : IBuild => Add<T>(AfterRefs);
    public ITargetDefinition After<T>(params Func<T, Target>[] targets) where T : IBuild => Add(AfterRefs, targets);
    public ITargetDefinition Before(params Target[] targets) => Add(BeforeRefs, targets);
    public ITargetDefinition Before<T>() where T : IBuild => Add<T>(BeforeRefs);
    public ITargetDefinition Before<T>(params Func<T, Target>[] targets) where T : IBuild => Add(BeforeRefs, targets);
    public ITargetDefinition Triggers(params Target[] targets) => Add(TriggersRefs, targets);
    public ITargetDefinition Triggers<T>() where T : IBuild => Add<T>(TriggersRefs);
    public ITargetDefinition Triggers<T>(params Func<T, Target>[] targets) where T : IBuild => Add(TriggersRefs, targets);
    public ITargetDefinition TriggeredBy(params Target[] targets) => Add(TriggeredByRefs, targets);
    public ITargetDefinition TriggeredBy<T>() where T : IBuild => Add<T>(TriggeredByRefs);
    public ITargetDefinition TriggeredBy<T>(params Func<T, Target>[] targets) where T : IBuild => Add(TriggeredByRefs, targets);

    public ITargetDefinition OnlyWhenStatic(Func<bool> condition, string? text = null)
    { StaticConditions.Add((condition, text ?? "condition")); return this; }
    public ITargetDefinition OnlyWhenDynamic(Func<bool> condition, string? text = null)
    { DynamicConditions.Add((condition, text ?? "condition")); return this; }

    public ITargetDefinition Requires(params Expression<Func<object?>>[] parameters)
    { RequiredParameters.AddRange(parameters.Select(p => ParameterService.MemberName(p))); return this; }

    public ITargetDefinition ProceedAfterFailure() { IsProceedAfterFailure = true; return this; }
    public ITargetDefinition AssuredAfterFailure() { IsAssuredAfterFailure = true; return this; }
    public ITargetDefinition Unlisted() { IsUnlisted = true; return this; }
    public ITargetDefinition WhenSkipped(DependencyBehavior behavior) { SkippedDependencyBehavior = behavior; return this; }

    public ITargetDefinition Executes(Action action) => AddAction(_ => { action(); return Task.CompletedTask; });
    public ITargetDefinition Executes(Func<Task> action) => AddAction(_ => action());
    public ITargetDefinition Executes(Action<Partition> action) => AddAction(p => { action(Required(p)); return Task.CompletedTask; });
    public ITargetDefinition Executes(Func<Partition, Task> action) => AddAction(p => action(Required(p)));
    ITargetDefinition AddAction(Func<Partition?, Task> action) { Actions.Add(action); return this; }

    public ITargetDefinition Produces(params string[] paths) { ProducesPaths.AddRange(paths); return this; }
    public ITargetDefinition Consumes(params string[] paths) { ConsumesPaths.AddRange(paths); return this; }

    public ITargetDefinition PartitionedBy(params string[] axes)
    { foreach (var axis in axes.Where(a => !Axes.Contains(a, StringComparer.OrdinalIgnoreCase))) Axes.Add(axis); return this; }

    public ITargetDefinition Annotate(string key, string value) { Annotations[key] = value; return this; }

    public ITargetDefinition Inherit<T>() where T : IBuild
    {
        var property = typeof(T).GetProperty(Name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            ?? throw new BuildException($"Target '{Name}' inherits from {typeof(T).Name}, which declares no target '{Name}'. Name the "
                + $"target explicitly: Inherit<{typeof(T).Name}>(x => x.SomeTarget).");
        return Inherit(property);
    }

    public ITargetDefinition Inherit<T>(Expression<Func<T, Target>> target) where T : IBuild =>
        Inherit(target.Body is MemberExpression { Member: PropertyInfo property } ? property
            : throw new BuildException($"Target '{Name}': Inherit needs a property access such as x => x.Compile."));

    // The class whose definition of this target is being applied now: null is the most derived one.
    Type? _level;

    public ITargetDefinition Base()
    {
        var current = DeclaredAtOrAbove(_level ?? build.GetType())!;
        var baseProperty = DeclaredAtOrAbove(current.DeclaringType!.BaseType)
            ?? throw new BuildException($"Target '{Name}' calls Base(), but no base class of {current.DeclaringType.Name} defines "
                + $"'{Name}'. For a component's target, use Inherit<TComponent>().");
        var saved = _level;
        _level = baseProperty.DeclaringType;
        try { NonVirtualCall.Invoke<Target>(baseProperty.GetMethod!, build)(this); }
        finally { _level = saved; }
        return this;
    }

    PropertyInfo? DeclaredAtOrAbove(Type? type)
    {
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            if (t.GetProperty(Name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                is { } p && p.PropertyType == typeof(Target)) return p;
        return null;
    }

    // The interface's own getter, called without virtual dispatch: the override is what is running now.
    ITargetDefinition Inherit(PropertyInfo property) => NonVirtualCall.Invoke<Target>(property.GetMethod!, build)(this);

    Partition Required(Partition? partition) => partition
        ?? throw new BuildException($"Target '{Name}' has a per-partition action but no axes. Add .PartitionedBy(\"platform\") "
            + "to its definition.");

    TargetDefinition Add(List<TargetReference> list, IEnumerable<TargetReference> references) { list.AddRange(references); return this; }
    TargetDefinition Add(List<TargetReference> list, Target[] targets) => Add(list, targets.Select(t => new TargetReference.Delegate(t)));
    TargetDefinition Add<T>(List<TargetReference> list, bool optional = false) where T : IBuild =>
        Add(list, [new TargetReference.Component(typeof(T), optional)]);
    TargetDefinition Add<T>(List<TargetReference> list, Func<T, Target>[] targets) where T : IBuild =>
        Add(list, targets.Select(t => new TargetReference.Member(typeof(T), o => t((T)o))));
}
