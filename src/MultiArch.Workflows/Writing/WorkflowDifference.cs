namespace MultiArch.Workflows;

/// <summary>A committed workflow that is not what the definitions generate.</summary>
/// <param name="Path">The file, relative to the root.</param>
/// <param name="Diff">A short unified-style diff (committed lines with <c>-</c>, generated lines with <c>+</c>) or why it differs.</param>
public sealed record WorkflowDifference(string Path, string Diff)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}:\n{Diff}";
}
