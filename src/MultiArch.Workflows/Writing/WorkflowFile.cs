namespace MultiArch.Workflows;

/// <summary>How a committed workflow stands against what the definitions generate.</summary>
public enum WorkflowFileState
{
    /// <summary>The file is what the definitions generate.</summary>
    Current,
    /// <summary>No file yet: a new definition.</summary>
    Missing,
    /// <summary>Untouched generator output (its content hash matches) of earlier definitions.</summary>
    DefinitionsChanged,
    /// <summary>Its content hash no longer matches: someone edited the file.</summary>
    HandEdited,
    /// <summary>It carries no content hash (written by hand, or by a MultiArch before hashes), so edits cannot be ruled out.</summary>
    Unstamped,
}

/// <summary>
/// One workflow the definitions generate: its path (relative to the root), the generated text, and how the committed file stands.
/// </summary>
public sealed record WorkflowFile(string Path, string Text, WorkflowFileState State)
{
    /// <summary>Whether writing it could replace someone's edits.</summary>
    public bool MayHoldEdits => State is WorkflowFileState.HandEdited or WorkflowFileState.Unstamped;

    /// <summary>The line that says so before anything replaces them.</summary>
    public string EditsWarning => $"your edits to {Path} will be replaced: run {WorkflowRenderer.RegenerateCommand} to accept"
        + (State == WorkflowFileState.Unstamped ? " (it carries no content hash, so hand edits cannot be ruled out)" : "");
}
