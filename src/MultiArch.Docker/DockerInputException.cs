namespace MultiArch.Docker;

/// <summary>
/// Bad build input found before anything runs (a missing Dockerfile or context directory, a push without tags).
/// The message is one line naming the input and the fix, so it can be printed as is.
/// </summary>
public sealed class DockerInputException : Exception
{
    /// <summary>Creates the exception with a one-line message naming the input and the fix.</summary>
    public DockerInputException(string message) : base(message) { }
}
