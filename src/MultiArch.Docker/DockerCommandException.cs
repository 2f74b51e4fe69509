namespace MultiArch.Docker;

/// <summary>
/// A docker command (build, push, run, ...) exited with an error. <see cref="Exception.Message"/> is one line;
/// <see cref="OutputTail"/> holds the last lines of the failing step so the caller can show why it failed.
/// </summary>
public sealed class DockerCommandException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">One line: what failed and the most telling error text.</param>
    /// <param name="exitCode">The process exit code.</param>
    /// <param name="outputTail">The failing step's last lines (about 20), already redacted.</param>
    public DockerCommandException(string message, int exitCode, IReadOnlyList<string> outputTail) : base(message) =>
        (ExitCode, OutputTail) = (exitCode, outputTail);

    /// <summary>The process exit code.</summary>
    public int ExitCode { get; }

    /// <summary>The failing step's last lines (about 20), already redacted; shown after the one-line message.</summary>
    public IReadOnlyList<string> OutputTail { get; }
}
