namespace MultiArch.Docker;

/// <summary>
/// The Docker engine cannot be used: it is not reachable, or a foreign platform has no QEMU emulation registered.
/// The message is one line that says what is missing and the command that fixes it.
/// </summary>
public sealed class DockerEngineUnavailableException : Exception
{
    /// <summary>Creates the exception with a one-line message naming the problem and the fix.</summary>
    public DockerEngineUnavailableException(string message) : base(message) { }
}
