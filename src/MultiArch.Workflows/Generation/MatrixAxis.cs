namespace MultiArch.Workflows;

/// <summary>
/// How the values of one partition axis become matrix legs: the runner a value runs on, the keys a leg carries besides
/// the value, and the key that names the value in artifact names. The generator knows no axis of its own: a build
/// describes its axes (<see cref="IDescribesMatrixAxes"/>; the pipeline's platform axis picks a runner per platform and
/// adds <c>platform_pair</c> and its QEMU keys). An axis nobody describes runs on the fan-in runner.
/// </summary>
public abstract class MatrixAxis
{
    /// <summary>The partition axis described, e.g. <c>platform</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The runner a leg with this value runs on; its label becomes the leg's <c>runner</c> key.</summary>
    public abstract Runner RunnerFor(WorkflowDefinition definition, string value);

    /// <summary>More keys for the leg's matrix entry (after the values and <c>runner</c>).</summary>
    public virtual void AddKeys(string value, Runner runner, OrderedDictionary<string, string> keys) { }

    /// <summary>The key that names the value in artifact names (a value may hold characters a name may not), or null.</summary>
    public virtual string? SlugKey => null;

    /// <summary>The value as <see cref="SlugKey"/> holds it.</summary>
    public virtual string Slug(string value) => value;
}

/// <summary>A build that describes some of its partition axes to the workflow generator.</summary>
public interface IDescribesMatrixAxes
{
    /// <summary>The described axes.</summary>
    IReadOnlyList<MatrixAxis> MatrixAxes { get; }
}
