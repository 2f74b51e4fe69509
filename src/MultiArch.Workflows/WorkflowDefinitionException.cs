using MultiArch.Build;

namespace MultiArch.Workflows;

/// <summary>
/// A workflow definition (or a workflow file) that cannot be turned into a valid workflow; the message names the
/// input and the fix. It is a <see cref="BuildException"/>, so the build prints it as one line.
/// </summary>
public sealed class WorkflowDefinitionException(string message) : BuildException(message);
