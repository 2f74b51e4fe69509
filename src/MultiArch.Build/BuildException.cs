namespace MultiArch.Build;

/// <summary>
/// An error in how the build was defined or invoked. Its message is one line that names the input and the fix;
/// the engine prints it without a stack trace.
/// </summary>
public class BuildException(string message) : Exception(message);
