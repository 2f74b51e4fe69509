using System.Reflection;

namespace MultiArch.Build;

/// <summary>
/// The build's targets, found by reflection and resolved to names: duplicates, unknown references and cycles are
/// loud errors here, before anything runs. <see cref="Plan"/> gives a deterministic order.
/// </summary>
public sealed partial class TargetGraph
{
    readonly Dictionary<string, ExecutableTarget> _byName;
    readonly TargetBuild _build;

    TargetGraph(TargetBuild build, List<ExecutableTarget> targets)
    {
        _build = build;
        Targets = targets;
        _byName = targets.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The build the graph was read from (a generator asks it what it declares besides targets).</summary>
    public TargetBuild Build => _build;

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
                ?? throw new BuildException($"Target '{name}' ({property.DeclaringType?.Name}) is null; give it a "
                    + "definition such as _ => _.Executes(...).");
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
        void Add(ExecutableTarget from, ExecutableTarget to)
        { if (set.Contains(from) && set.Contains(to) && !edges[from].Contains(to)) edges[from].Add(to); }
        foreach (var target in set.OrderBy(t => t.Index))
        {
            foreach (var name in target.DependsOn.Concat(target.After)) Add(_byName[name], target);
            foreach (var name in target.Before.Concat(target.Triggers)) Add(target, _byName[name]);
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
                throw new BuildException($"Cycle in target order: {string.Join(" -> ", cycle)}. Remove one of "
                    + "these dependencies or orderings.");
            }
            state[target] = 1;
            path.Add(target);
            foreach (var next in edges[target]) Visit(next);
            path.RemoveAt(path.Count - 1);
            state[target] = 2;
        }
    }
}
