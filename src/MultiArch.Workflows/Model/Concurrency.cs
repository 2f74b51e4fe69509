namespace MultiArch.Workflows;

/// <summary><c>concurrency:</c> runs sharing a group never overlap.</summary>
/// <param name="Group">The group key, usually an expression over the workflow and ref.</param>
/// <param name="CancelInProgress">Cancel the running one instead of queueing (a literal or an expression).</param>
public sealed record Concurrency(string Group, string CancelInProgress = "false");
