namespace MultiArch.Build;

/// <summary>
/// One cell of a matrix: axis to value, e.g. <c>platform=linux/arm64</c>. A partitioned target runs once per
/// partition locally and becomes one leg per partition in CI.
/// </summary>
public sealed class Partition
{
    /// <summary>Axis to value, in axis order.</summary>
    public IReadOnlyDictionary<string, string> Values { get; }
    /// <summary>Creates a partition from axis/value pairs (order kept).</summary>
    public Partition(IEnumerable<KeyValuePair<string, string>> values)
    {
        // Keeps axis order for display while offering case-insensitive look-ups by axis name.
        var ordered = new OrderedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (axis, value) in values) ordered.TryAdd(axis, value);
        Values = ordered;
    }

    /// <summary>Creates a one-axis partition.</summary>
    public Partition(string axis, string value) : this([new KeyValuePair<string, string>(axis, value)]) { }
    /// <summary>The value on an axis.</summary>
    public string this[string axis] => Values.TryGetValue(axis, out var v) ? v
        : throw new BuildException($"Partition '{Key}' has no axis '{axis}'; it has {string.Join(", ", Values.Keys)}.");

    /// <summary>The values joined by spaces, e.g. <c>web linux/arm64</c>; used in logs and the summary.</summary>
    public string Key => string.Join(" ", Values.Values);

    /// <summary>
    /// True when the two share a value on every axis both have: <c>image=api</c> agrees with <c>image=api
    /// platform=linux/arm64</c>, not with <c>image=worker …</c>. A target partitioned by fewer axes depends on
    /// exactly the partitions of its dependencies that agree with it.
    /// </summary>
    public bool AgreesWith(Partition other) =>
        Values.All(v => !other.Values.TryGetValue(v.Key, out var value) || string.Equals(value, v.Value, StringComparison.Ordinal));

    public override string ToString() => Key;

    /// <summary>Equal when both have the same (axis, value) pairs in the same order: never by a joined string, so
    /// <c>image=a platform=b</c> and <c>variant=a platform=b</c> differ, and so do values containing spaces.</summary>
    public override bool Equals(object? obj) => obj is Partition other && other.Values.Count == Values.Count
        && Values.Zip(other.Values).All(p => string.Equals(p.First.Key, p.Second.Key, StringComparison.OrdinalIgnoreCase)
                                             && string.Equals(p.First.Value, p.Second.Value, StringComparison.Ordinal));

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var (axis, value) in Values)
        {
            hash.Add(axis, StringComparer.OrdinalIgnoreCase);
            hash.Add(value, StringComparer.Ordinal);
        }
        return hash.ToHashCode();
    }
}

/// <summary>
/// Implemented by a build (or component) that knows an axis's values better than an array parameter, or keeps only
/// some cells of the product: per-axis values are combined as a cartesian product in axis order, then filtered.
/// </summary>
public interface IPartitionSource
{
    /// <summary>The values of <paramref name="axis"/>, in a stable order; null to use the array parameter named like it.</summary>
    IReadOnlyList<string>? AxisValues(string axis) => null;
    /// <summary>False drops a cell of the product, e.g. a platform the cell's image does not declare.</summary>
    bool Keeps(Partition cell) => true;
}
