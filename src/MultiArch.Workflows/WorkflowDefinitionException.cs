namespace MultiArch.Workflows;

/// <summary>A workflow definition (or a workflow file) that cannot be turned into a valid workflow; the message names the input and the fix.</summary>
public sealed class WorkflowDefinitionException(string message) : Exception(message);
