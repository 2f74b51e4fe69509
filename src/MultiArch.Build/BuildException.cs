namespace MultiArch.Build;

/// <summary>
/// An error in how the build was defined or invoked. Its message is one line that names the input and the fix;
/// the engine prints it without a stack trace.
/// </summary>
public class BuildException(string message) : Exception(message);

/// <summary>
/// Thrown by an action to mark its target (or this partition of it) Skipped with a reason, e.g. "no base
/// Dockerfile configured": a condition that only the action can judge.
/// </summary>
public sealed class TargetSkippedException(string reason) : Exception(reason);
