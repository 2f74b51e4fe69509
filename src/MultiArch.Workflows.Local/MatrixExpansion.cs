namespace MultiArch.Workflows.Local;

/// <summary>Turns a <c>strategy.matrix</c> into its legs the way GitHub does: the product of the axes, then <c>include</c>.</summary>
public static class MatrixExpansion
{
    /// <summary>The legs, in GitHub's order; a job without strategy has one empty leg.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Legs(JobStrategy? strategy)
    {
        if (strategy is null) return [new Dictionary<string, string>()];
        var legs = new List<Dictionary<string, string>> { new() };
        foreach (var (axis, values) in strategy.Axes)
            legs = legs.SelectMany(leg => values.Select(v => new Dictionary<string, string>(leg) { [axis] = v })).ToList();
        if (strategy.Axes.Count == 0) legs.Clear();
        var original = strategy.Axes.Keys.ToHashSet();
        foreach (var entry in strategy.Include)
        {
            // An include entry extends every product leg whose original values it does not contradict; otherwise it is a leg of its own.
            var matches = legs.Where(leg => original.Count > 0 &&
                entry.All(e => !original.Contains(e.Key) || leg.GetValueOrDefault(e.Key) == e.Value)).ToList();
            foreach (var leg in matches)
                foreach (var (k, v) in entry) if (!original.Contains(k)) leg[k] = v;
            if (matches.Count == 0) legs.Add(new Dictionary<string, string>(entry));
        }
        return legs;
    }
}
