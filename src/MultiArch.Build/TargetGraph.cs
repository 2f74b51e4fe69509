using System.Reflection;

namespace MultiArch.Build;

/// <summary>
/// The build's targets, found by reflection and resolved to names: duplicates, unknown references and cycles are
/// loud errors here, before anything runs. <see cref="Plan"/> gives a deterministic order.
/// </summary>
public sealed class TargetGraph
{
    readonly Dictionary<string, ExecutableTarget> _byName;
    readonly TargetBuild _build;

    TargetGraph(TargetBuild build, List<ExecutableTarget> targets)
    {
        _build = build;
        Targets = targets;
        _byName = targets.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Every target, in declaration order.</summary>
    public IReadOnlyList<ExecutableTarget> Targets { get; }

    /// <summary>The build's parameters.</summary>
    public IReadOnlyList<ParameterInfo> Parameters => _build.ParameterService.Parameters;

    /// <summary>A target by name (case-insensitive); unknown names fail with a suggestion.</summary>
    public ExecutableTarget this[string name] => _byName.TryGetValue(name, out var target) ? target
        : throw new BuildException($"Unknown target '{name}'.{Suggest(name)} Run with --help to see what each does.");

    // The closest name when one is close; otherwise every listed target, so the line alone tells what to type.
    string Suggest(string name) => DidYouMean.Suggest(name, Targets.Select(t => t.Name)) is { Length: > 0 } close ? close
        : $" The targets are {string.Join(", ", Targets.Where(t => !t.Unlisted).Select(t => t.Name))}.";

    /// <summary>Discovers, evaluates and resolves the targets of a build.</summary>
    public static TargetGraph FromBuild(TargetBuild build)
    {
        var found = Discover(build.GetType());
        var byMethod = new Dictionary<MethodInfo, string>();
        var targets = new List<ExecutableTarget>();
        foreach (var (property, name) in found)
        {
            var target = (Target?)property.GetValue(build)
                ?? throw new BuildException($"Target '{name}' ({property.DeclaringType?.Name}) is null; give it a definition such as _ => _.Executes(...).");
            if (byMethod.TryGetValue(target.Method, out var other))
                throw new BuildException($"Targets '{other}' and '{name}' are the same delegate; give each its own definition.");
            byMethod[target.Method] = name;
            var definition = new TargetDefinition(name, build);
            target(definition);
            targets.Add(new ExecutableTarget(definition, targets.Count, property.DeclaringType!));
        }
        var graph = new TargetGraph(build, targets);
        graph.Resolve(byMethod);
        graph.CheckCycles();
        return graph;
    }

    /// <summary>
    /// The targets to run for <paramref name="requested"/>, with dependencies and triggered targets, ordered so that
    /// every edge holds; ties keep declaration order, so the same build always plans the same way.
    /// </summary>
    public IReadOnlyList<ExecutableTarget> Plan(IEnumerable<string> requested)
    {
        var included = new HashSet<ExecutableTarget>();
        var pending = new Stack<ExecutableTarget>(requested.Select(n => this[n]).Reverse());
        while (pending.TryPop(out var target))
        {
            if (!included.Add(target)) continue;
            foreach (var name in target.DependsOn.Concat(target.Triggers)) pending.Push(_byName[name]);
        }
        var before = OrderAmong(included);
        var indegree = included.ToDictionary(t => t, t => 0);
        foreach (var (_, tos) in before) foreach (var to in tos) indegree[to]++;
        var ready = new PriorityQueue<ExecutableTarget, int>(indegree.Where(p => p.Value == 0).Select(p => (p.Key, p.Key.Index)));
        var order = new List<ExecutableTarget>();
        while (ready.TryDequeue(out var next, out _))
        {
            order.Add(next);
            foreach (var to in before[next])
                if (--indegree[to] == 0) ready.Enqueue(to, to.Index);
        }
        return order;
    }

    /// <summary>
    /// Cuts a plan into segments: runs of consecutive targets with the same axes. Locally each segment runs as one
    /// lane per partition; in CI it is one job with one matrix leg per partition. This is the only grouping rule, so
    /// lanes and legs agree by construction. <paramref name="name"/> optionally names a target's segment; a target
    /// naming another segment than the current one starts a new segment (a job annotated apart, e.g. cleanup).
    /// </summary>
    public static IReadOnlyList<Segment> Segments(IReadOnlyList<ExecutableTarget> plan, Func<ExecutableTarget, string?>? name = null)
    {
        var segments = new List<List<ExecutableTarget>>();
        foreach (var target in plan)
        {
            var named = name?.Invoke(target);
            var current = segments.Count == 0 || name is null ? null : segments[^1].Select(name).LastOrDefault(n => n is not null);
            if (segments.Count > 0 && segments[^1][0].PartitionAxes.SequenceEqual(target.PartitionAxes, StringComparer.OrdinalIgnoreCase)
                && (named is null || current is null || named == current))
                segments[^1].Add(target);
            else segments.Add([target]);
        }
        return segments.Select(s => new Segment(s, s[0].PartitionAxes)).ToList();
    }

    /// <summary>The partitions for these axes: the cartesian product of each axis's values, in axis order (from the
    /// build when it is an <see cref="IPartitionSource"/> that knows the axis, else the array parameter named like it),
    /// keeping the cells the source keeps. Values are deduplicated per axis and an empty set is an error, so a lane or
    /// matrix leg is never planned from a bad cell.</summary>
    public IReadOnlyList<Partition> Partitions(IReadOnlyList<string> axes)
    {
        if (axes.Count == 0) return [];
        var source = _build as IPartitionSource;
        IEnumerable<List<KeyValuePair<string, string>>> cells = [[]];
        foreach (var axis in axes)
        {
            var values = (source?.AxisValues(axis) ?? ParameterValues(axis)).Distinct(StringComparer.Ordinal).ToList();
            cells = cells.SelectMany(c => values.Select(v => c.Append(new(axis, v)).ToList())).ToList();
        }
        var kept = cells.Select(c => new Partition(c)).Where(c => source?.Keeps(c) ?? true).ToList();
        if (kept.Count == 0)
            throw new BuildException($"No partitions for ({string.Join(", ", axes)}): the selection leaves nothing to run. "
                                     + "Give at least one value per axis.");
        return kept;
    }

    // Each element of the array parameter is one value, formatted on its own: a value is never joined and re-split,
    // so "Debian 12" stays one value.
    List<string> ParameterValues(string axis)
    {
        var parameter = Parameters.FirstOrDefault(p => ParameterInfo.Normalize(p.Name) == ParameterInfo.Normalize(axis))
            ?? throw new BuildException($"Axis '{axis}' has no values: declare a [Parameter] array named '{axis}' or "
                                        + "implement IPartitionSource.AxisValues.");
        var values = (_build.ParameterValue(parameter) switch
        {
            null => [],
            string one => [one],
            System.Collections.IEnumerable many => many.Cast<object?>().Select(ParameterService.Format),
            var one => [ParameterService.Format(one)],
        }).OfType<string>().Where(v => v.Length > 0).ToList();
        return values.Count > 0 ? values : throw new BuildException(
            $"Axis '{axis}' has no values. Pass {parameter.CliName} <values> or set \"{parameter.Name}\" in .nuke/parameters.json.");
    }

    /// <summary>
    /// The partitions the build declares, ignoring how this invocation narrowed them (<c>--platform</c>, <c>--image</c>,
    /// environment): what a generated CI matrix must contain whatever command regenerated it.
    /// </summary>
    public IReadOnlyList<Partition> DeclaredPartitions(IReadOnlyList<string> axes) =>
        _build.Declared.Graph.Partitions(axes);

    // The order among planned targets, read on the whole graph: with A.After(M) and M.After(Z), Z runs before A
    // even when M is not planned (a path through unplanned targets still orders its ends).
    Dictionary<ExecutableTarget, List<ExecutableTarget>> OrderAmong(IReadOnlySet<ExecutableTarget> planned)
    {
        var all = Edges(Targets.ToHashSet());
        var order = planned.ToDictionary(t => t, _ => new List<ExecutableTarget>());
        foreach (var from in planned)
        {
            var seen = new HashSet<ExecutableTarget>();
            var pending = new Stack<ExecutableTarget>(all[from]);
            while (pending.TryPop(out var next))
            {
                if (!seen.Add(next)) continue;
                if (planned.Contains(next)) order[from].Add(next); // its own edges carry the order on
                else foreach (var further in all[next]) pending.Push(further);
            }
        }
        return order;
    }

    // "a must run before b" edges among a set: DependsOn, After, Before and Triggers all order.
    Dictionary<ExecutableTarget, List<ExecutableTarget>> Edges(IReadOnlySet<ExecutableTarget> set)
    {
        var edges = set.ToDictionary(t => t, _ => new List<ExecutableTarget>());
        void Add(string from, ExecutableTarget to) { if (_byName[from] is var f && set.Contains(f) && !edges[f].Contains(to)) edges[f].Add(to); }
        foreach (var target in set.OrderBy(t => t.Index))
        {
            foreach (var name in target.DependsOn.Concat(target.After)) Add(name, target);
            foreach (var name in target.Before.Concat(target.Triggers))
                if (set.Contains(_byName[name]) && !edges[target].Contains(_byName[name])) edges[target].Add(_byName[name]);
        }
        return edges;
    }

    void CheckCycles()
    {
        var edges = Edges(Targets.ToHashSet());
        var state = new Dictionary<ExecutableTarget, int>(); // 1 = on the path, 2 = done
        var path = new List<ExecutableTarget>();
        foreach (var start in Targets) Visit(start);

        void Visit(ExecutableTarget target)
        {
            if (state.GetValueOrDefault(target) == 2) return;
            if (state.GetValueOrDefault(target) == 1)
            {
                var cycle = path.Skip(path.IndexOf(target)).Append(target).Select(t => t.Name);
                throw new BuildException($"Cycle in target order: {string.Join(" -> ", cycle)}. Remove one of these dependencies or orderings.");
            }
            state[target] = 1;
            path.Add(target);
            foreach (var next in edges[target]) Visit(next);
            path.RemoveAt(path.Count - 1);
            state[target] = 2;
        }
    }

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
        {
            foreach (var name in Names(refs, target, verb)) AddOnce(list, name);
        }

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
                        if (declared.Count == 0) throw new BuildException($"Target '{target.Name}' {verb}<{component.Name}>(), but {component.Name} declares no target. Name one: {verb}<{component.Name}>(x => x.SomeTarget).");
                        // Several would silently all become dependencies; NUKE refuses too.
                        if (declared.Count > 1)
                            throw new BuildException($"Target '{target.Name}' {verb}<{component.Name}>(), but {component.Name} declares {declared.Count} targets ({string.Join(", ", declared.Select(t => t.Name))}). Name one: {verb}<{component.Name}>(x => x.{declared[0].Name}).");
                        yield return declared[0].Name;
                        break;
                }
            }
        }

        string Lookup(Target t, ExecutableTarget target, string verb) => byMethod.TryGetValue(t.Method, out var name) ? name
            : throw new BuildException($"Target '{target.Name}' {verb} a target that is not part of this build. Declare it as a property of type Target on the build class or one of its components.");

        object Implemented(Type component, ExecutableTarget target, string verb) => component.IsInstanceOfType(_build) ? _build
            : throw new BuildException($"Target '{target.Name}' {verb} {component.Name}, which this build does not implement. Add {component.Name} to the build class's interfaces.");
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
                if (Overrides(property, existing)) { result[result.FindIndex(r => r.Item1 == existing)] = (property, property.Name); seen[property.Name] = property; continue; }
                throw new BuildException($"Target '{property.Name}' is declared twice: {existing.DeclaringType?.Name}.{existing.Name} and {property.DeclaringType?.Name}.{property.Name}. Rename one, or implement the interface's target explicitly (Target {existing.DeclaringType?.Name}.{existing.Name} => ...).");
            }
            seen[property.Name] = property;
            result.Add((property, property.Name));
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
