using System.Reflection;

namespace MultiArch.Build;

// Parameter values as the build sees them, and the same build evaluated over other snapshots (defaults, declared).
public abstract partial class TargetBuild
{
    /// <summary>The value of a parameter as the build sees it (fields: the injected value; interface properties: the getter).</summary>
    public object? ParameterValue(ParameterInfo parameter) => parameter.Member switch
    {
        FieldInfo f => f.GetValue(this),
        PropertyInfo p => p.GetValue(this),
        _ => null,
    };

    TargetBuild? _defaults, _declared;
    /// <summary>This build as if no value were given anywhere: what <c>--help</c> shows as defaults.</summary>
    internal TargetBuild Defaults => _defaults ??= View(ParameterSnapshot.Empty);

    /// <summary>
    /// This build as its parameters files declare it, ignoring the command line and the environment: what a generated
    /// CI matrix must contain whatever command regenerated it.
    /// </summary>
    public TargetBuild Declared => _declared ??= View(ParameterService.Declared);

    // Another instance of the same class over another snapshot: its getters and partition source read only that
    // snapshot, so no getter depends on a mode switched on and off around it.
    TargetBuild View(ParameterSnapshot snapshot)
    {
        var view = (TargetBuild)Activator.CreateInstance(GetType(), nonPublic: true)!;
        view.Environment = Environment;
        view.Host = Host;
        view.IsCI = IsCI;
        view.Log = Log;
        view.RootDirectory = RootDirectory;
        view.ParameterService = ParameterService.Over(snapshot);
        view.InjectFields();
        view.Graph = TargetGraph.FromBuild(view);
        return view;
    }

    string? DefaultOf(ParameterInfo parameter)
    {
        try { return ParameterService.Format(Defaults.ParameterValue(parameter)); }
        catch { return null; } // a default that cannot be computed without a value is simply not shown
    }

    // Fields are set once from the snapshot; a view over the empty snapshot keeps every initializer as the default.
    void InjectFields()
    {
        foreach (var parameter in ParameterService.Parameters)
        {
            if (ParameterService[parameter].Value is not { } value) continue;
            if (parameter.Member is FieldInfo field) field.SetValue(this, value);
            else if (parameter.Member is PropertyInfo { CanWrite: true, DeclaringType.IsInterface: false } property)
                property.SetValue(this, value);
        }
    }
}
