using System.Linq.Expressions;

namespace MultiArch.Build;

/// <summary>
/// Every component derives from this. Components are interfaces with default members, so they reach the running
/// build (its log, root and parameters) through <see cref="Build"/>, never through static state.
/// </summary>
public interface IBuild
{
    /// <summary>The running build.</summary>
    TargetBuild Build { get; }

    /// <summary>The value given for a parameter declared on an interface property, or default when none was given:
    /// <c>[Parameter] string Registry =&gt; TryGetValue(() =&gt; Registry) ?? "127.0.0.1:5000";</c></summary>
    T? TryGetValue<T>(Expression<Func<T>> parameter) =>
        // Not a cast: for a value type such as bool, (T?)null would throw instead of giving default.
        Build.ParameterService.Get(ParameterService.MemberName(parameter)) is T value ? value : default;
}

/// <summary>
/// A cross-cutting feature (one small unit): put an attribute deriving from this on the build class or a component
/// interface, and the engine calls it before the targets run.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Interface, AllowMultiple = true)]
public abstract class BuildExtensionAttribute : Attribute
{
    /// <summary>Lower runs first.</summary>
    public virtual int Priority => 0;
    /// <summary>Called once the graph is resolved and parameters are known, before the plan runs.</summary>
    public virtual void OnStarting(TargetBuild build, TargetGraph graph, IReadOnlyList<ExecutableTarget> plan) { }
    /// <summary>Called as each planned run (a target, or one partition of it) gets its final status, whatever it is.</summary>
    public virtual void OnTargetFinished(TargetBuild build, TargetRun run) { }
    /// <summary>Called once after the last target, before the summary: notifications, log upload, cleanup.</summary>
    public virtual void OnBuildFinished(TargetBuild build, IReadOnlyList<TargetRun> runs) { }
}
