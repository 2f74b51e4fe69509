using System.Linq.Expressions;
using System.Runtime.CompilerServices;

namespace MultiArch.Build;

/// <summary>
/// The fluent definition of a target. Every method only records what it is told; the graph resolves names,
/// the planner orders and the executor runs.
/// </summary>
public interface ITargetDefinition
{
    /// <summary>One line shown by <c>--help</c>.</summary>
    ITargetDefinition Description(string description);

    /// <summary>These targets run first, and are part of the plan whenever this one is.</summary>
    ITargetDefinition DependsOn(params Target[] targets);
    /// <summary>Depends on every target declared by component <typeparamref name="T"/>.</summary>
    ITargetDefinition DependsOn<T>() where T : IBuild;
    /// <summary>Like <see cref="DependsOn{T}()"/>, but nothing when the build does not implement <typeparamref name="T"/> (an optional
    /// component).</summary>
    ITargetDefinition TryDependsOn<T>() where T : IBuild;
    /// <summary>Like <see cref="After{T}()"/>, but nothing when the build does not implement <typeparamref name="T"/>.</summary>
    ITargetDefinition TryAfter<T>() where T : IBuild;
    /// <summary>Like <see cref="Before{T}()"/>, but nothing when the build does not implement <typeparamref name="T"/>.</summary>
    ITargetDefinition TryBefore<T>() where T : IBuild;
    /// <summary>Depends on the named targets of component <typeparamref name="T"/>.</summary>
    ITargetDefinition DependsOn<T>(params Func<T, Target>[] targets) where T : IBuild;

    /// <summary>The reverse of DependsOn: these targets depend on this one.</summary>
    ITargetDefinition DependentFor(params Target[] targets);
    /// <inheritdoc cref="DependentFor(Target[])"/>
    ITargetDefinition DependentFor<T>() where T : IBuild;
    /// <inheritdoc cref="DependentFor(Target[])"/>
    ITargetDefinition DependentFor<T>(params Func<T, Target>[] targets) where T : IBuild;

    /// <summary>Ordering only: when both are in the plan, this one runs after those.</summary>
    ITargetDefinition After(params Target[] targets);
    /// <inheritdoc cref="After(Target[])"/>
    ITargetDefinition After<T>() where T : IBuild;
    /// <inheritdoc cref="After(Target[])"/>
    ITargetDefinition After<T>(params Func<T, Target>[] targets) where T : IBuild;

    /// <summary>Ordering only: when both are in the plan, this one runs before those.</summary>
    ITargetDefinition Before(params Target[] targets);
    /// <inheritdoc cref="Before(Target[])"/>
    ITargetDefinition Before<T>() where T : IBuild;
    /// <inheritdoc cref="Before(Target[])"/>
    ITargetDefinition Before<T>(params Func<T, Target>[] targets) where T : IBuild;

    /// <summary>Whenever this target is in the plan, these are added and run after it.</summary>
    ITargetDefinition Triggers(params Target[] targets);
    /// <inheritdoc cref="Triggers(Target[])"/>
    ITargetDefinition Triggers<T>() where T : IBuild;
    /// <inheritdoc cref="Triggers(Target[])"/>
    ITargetDefinition Triggers<T>(params Func<T, Target>[] targets) where T : IBuild;

    /// <summary>The reverse of Triggers: whenever one of those is in the plan, this one is added after it.</summary>
    ITargetDefinition TriggeredBy(params Target[] targets);
    /// <inheritdoc cref="TriggeredBy(Target[])"/>
    ITargetDefinition TriggeredBy<T>() where T : IBuild;
    /// <inheritdoc cref="TriggeredBy(Target[])"/>
    ITargetDefinition TriggeredBy<T>(params Func<T, Target>[] targets) where T : IBuild;

    /// <summary>Evaluated once before anything runs; when false the target is skipped (see <see cref="WhenSkipped"/>).</summary>
    ITargetDefinition OnlyWhenStatic(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string? text = null);
    /// <summary>Evaluated right before the target runs; when false it is skipped. The text shows in the summary.</summary>
    ITargetDefinition OnlyWhenDynamic(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string? text = null);
    /// <summary>These parameters must have a value before anything runs: <c>.Requires(() =&gt; ApiKey)</c>.</summary>
    ITargetDefinition Requires(params Expression<Func<object?>>[] parameters);
    /// <summary>If this target fails, the rest of the plan still runs.</summary>
    ITargetDefinition ProceedAfterFailure();
    /// <summary>This target runs even after an earlier failure or Ctrl+C (cleanup, reports).</summary>
    ITargetDefinition AssuredAfterFailure();
    /// <summary>Hidden from <c>--help</c>; still invocable.</summary>
    ITargetDefinition Unlisted();
    /// <summary>What happens to dependencies when a static condition skips this target.</summary>
    ITargetDefinition WhenSkipped(DependencyBehavior behavior);

    /// <summary>Adds an action.</summary>
    ITargetDefinition Executes(Action action);
    /// <summary>Adds an asynchronous action.</summary>
    ITargetDefinition Executes(Func<Task> action);
    /// <summary>Adds an action run once per partition (see <see cref="PartitionedBy"/>).</summary>
    ITargetDefinition Executes(Action<Partition> action);
    /// <summary>Adds an asynchronous action run once per partition.</summary>
    ITargetDefinition Executes(Func<Partition, Task> action);

    /// <summary>Paths (relative to the root) this target hands to later ones; CI turns them into artifacts.</summary>
    ITargetDefinition Produces(params string[] paths);
    /// <summary>Paths this target reads from earlier ones; CI downloads them.</summary>
    ITargetDefinition Consumes(params string[] paths);
    /// <summary>Runs once per value of these axes locally; one CI matrix leg per value.</summary>
    ITargetDefinition PartitionedBy(params string[] axes);

    /// <summary>Free-form metadata for tools such as the CI generator.</summary>
    ITargetDefinition Annotate(string key, string value);

    /// <summary>Applies the base class's definition of this target, from a derived class's <c>override</c> of it
    /// (<c>public override Target Compile =&gt; _ =&gt; _.Base().Executes(...)</c>).</summary>
    ITargetDefinition Base();
    /// <summary>Applies component <typeparamref name="T"/>'s own definition of this target (the one it overrides).</summary>
    ITargetDefinition Inherit<T>() where T : IBuild;
    /// <summary>Applies component <typeparamref name="T"/>'s own definition of the given target.</summary>
    ITargetDefinition Inherit<T>(Expression<Func<T, Target>> target) where T : IBuild;
}
