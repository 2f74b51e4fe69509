namespace MultiArch.Workflows;

/// <summary><c>strategy:</c> a matrix and how its legs are scheduled.</summary>
public sealed class JobStrategy
{
    /// <summary>Cancel the other legs when one fails (GitHub's default is true; ours is false).</summary>
    public bool FailFast { get; set; }

    /// <summary>At most this many legs run at once.</summary>
    public int? MaxParallel { get; set; }

    /// <summary>Axes whose cartesian product forms the legs (we prefer <see cref="Include"/>).</summary>
    public OrderedDictionary<string, List<string>> Axes { get; } = new(StringComparer.Ordinal);

    /// <summary>Explicit legs (or additions to the product of <see cref="Axes"/>), each a set of matrix values.</summary>
    public List<OrderedDictionary<string, string>> Include { get; } = [];
}
