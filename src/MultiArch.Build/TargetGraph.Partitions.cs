namespace MultiArch.Build;

// Segments and cells: how a plan is cut into lanes (locally) or matrix legs (in CI), and the typed partition values.
public sealed partial class TargetGraph
{
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
}
