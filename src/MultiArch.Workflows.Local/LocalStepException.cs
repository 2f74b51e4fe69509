namespace MultiArch.Workflows.Local;

/// <summary>A step that failed in the local runner for a reason the message names (e.g. an artifact with no files).</summary>
public sealed class LocalStepException(string message) : Exception(message);
