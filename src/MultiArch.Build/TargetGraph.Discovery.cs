using System.Reflection;

namespace MultiArch.Build;

// Finding the target properties by reflection, and resolving the references between them to names.
public sealed partial class TargetGraph
{
    void Resolve(Dictionary<MethodInfo, string> byMethod)
    {
        foreach (var target in Targets)
        {
            var d = target.Definition;
            AddAll(target.DependsOnList, d.DependsOnRefs, target, "DependsOn");
            AddAll(target.AfterList, d.AfterRefs, target, "After");
            AddAll(target.BeforeList, d.BeforeRefs, target, "Before");
            AddAll(target.TriggersList, d.TriggersRefs, target, "Triggers");
            foreach (var name in Names(d.DependentForRefs, target, "DependentFor")) AddOnce(_byName[name].DependsOnList, target.Name);
            foreach (var name in Names(d.TriggeredByRefs, target, "TriggeredBy")) AddOnce(_byName[name].TriggersList, target.Name);
        }

        void AddAll(List<string> list, List<TargetReference> refs, ExecutableTarget target, string verb)
        { foreach (var name in Names(refs, target, verb)) AddOnce(list, name); }

        static void AddOnce(List<string> list, string name) { if (!list.Contains(name)) list.Add(name); }

        IEnumerable<string> Names(List<TargetReference> refs, ExecutableTarget target, string verb)
        {
            foreach (var reference in refs)
            {
                switch (reference)
                {
                    case TargetReference.Delegate(var t):
                        yield return Lookup(t, target, verb);
                        break;
                    case TargetReference.Member(var component, var select):
                        yield return Lookup(select(Implemented(component, target, verb)), target, verb);
                        break;
                    case TargetReference.Component(var component, var optional):
                        if (optional && !component.IsInstanceOfType(_build)) break;
                        Implemented(component, target, verb);
                        var declared = Targets.Where(t => t.DeclaringType == component).ToList();
                        if (declared.Count == 0) throw new BuildException($"Target '{target.Name}' {verb}<{component.Name}>(), but "
                            + $"{component.Name} declares no target. Name one: {verb}<{component.Name}>(x => x.SomeTarget).");
                        // Several would silently all become dependencies; NUKE refuses too.
                        if (declared.Count > 1)
                            throw new BuildException($"Target '{target.Name}' {verb}<{component.Name}>(), but {component.Name} declares "
                                + $"{declared.Count} targets ({string.Join(", ", declared.Select(t => t.Name))}). Name one: "
                                + $"{verb}<{component.Name}>(x => x.{declared[0].Name}).");
                        yield return declared[0].Name;
                        break;
                }
            }
        }

        string Lookup(Target t, ExecutableTarget target, string verb) => byMethod.TryGetValue(t.Method, out var name) ? name
            : throw new BuildException($"Target '{target.Name}' {verb} a target that is not part of this build. Declare it as a property "
                + "of type Target on the build class or one of its components.");

        object Implemented(Type component, ExecutableTarget target, string verb) => component.IsInstanceOfType(_build) ? _build
            : throw new BuildException($"Target '{target.Name}' {verb} {component.Name}, which this build does not implement. Add "
                + $"{component.Name} to the build class's interfaces.");
    }

    // Target properties of the class (not explicit implementations) and of every interface it implements.
    internal static List<(PropertyInfo Property, string Name)> Discover(Type buildType)
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        var classProperties = new List<PropertyInfo>();
        for (var t = buildType; t is not null && t != typeof(object); t = t.BaseType)
            classProperties.InsertRange(0, t.GetProperties(flags).Where(p => p.PropertyType == typeof(Target) && !p.Name.Contains('.')));
        var interfaceProperties = buildType.GetInterfaces()
            .OrderBy(i => i.GetInterfaces().Length).ThenBy(i => i.FullName, StringComparer.Ordinal)
            .SelectMany(i => i.GetProperties(flags).Where(p => p.PropertyType == typeof(Target)));

        var result = new List<(PropertyInfo, string)>();
        var seen = new Dictionary<string, PropertyInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in interfaceProperties.Concat(classProperties))
        {
            if (seen.TryGetValue(property.Name, out var existing))
            {
                if (ImplementsSame(buildType, existing, property)) continue;
                // A derived class's override is the same target: the most derived definition is the one that runs.
                if (!Overrides(property, existing))
                    throw new BuildException($"Target '{property.Name}' is declared twice: {existing.DeclaringType?.Name}.{existing.Name} "
                        + $"and {property.DeclaringType?.Name}.{property.Name}. Rename one, or implement the interface's target "
                        + $"explicitly (Target {existing.DeclaringType?.Name}.{existing.Name} => ...).");
                result[result.FindIndex(r => r.Item1 == existing)] = (property, property.Name);
            }
            else result.Add((property, property.Name));
            seen[property.Name] = property;
        }
        return result;
    }

    // derived overrides (or is overridden by) based: both are the same virtual property of the class hierarchy.
    static bool Overrides(PropertyInfo derived, PropertyInfo based) =>
        !derived.DeclaringType!.IsInterface && !based.DeclaringType!.IsInterface &&
        derived.GetMethod!.GetBaseDefinition().MethodHandle == based.GetMethod!.GetBaseDefinition().MethodHandle;

    // A public class property that implicitly implements an interface target is that target, not a second one.
    static bool ImplementsSame(Type buildType, PropertyInfo interfaceProperty, PropertyInfo classProperty)
    {
        if (!interfaceProperty.DeclaringType!.IsInterface || classProperty.DeclaringType!.IsInterface) return false;
        var map = buildType.GetInterfaceMap(interfaceProperty.DeclaringType);
        var index = Array.IndexOf(map.InterfaceMethods, interfaceProperty.GetMethod);
        return index >= 0 && map.TargetMethods[index].MethodHandle == classProperty.GetMethod!.MethodHandle;
    }
}
