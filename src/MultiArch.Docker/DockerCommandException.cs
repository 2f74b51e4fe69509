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

    /// <summary>The process exit code (-1 when it was stopped for taking too long).</summary>
    public int ExitCode { get; }

    /// <summary>What kind of failure it was, so a caller can name the fix in its own terms (which option to set).</summary>
    public DockerFailure Kind { get; init; } = DockerFailure.Failed;

    /// <summary>The failing step's last lines (about 20), already redacted; shown after the one-line message.</summary>
    public IReadOnlyList<string> OutputTail { get; }
}

/// <summary>The kinds of <see cref="DockerCommandException"/> a caller may want to explain differently.</summary>
public enum DockerFailure
{
    /// <summary>Any other failure.</summary>
    Failed,
    /// <summary>Stopped after its time budget (a registry or credential helper that does not answer).</summary>
    TimedOut,
    /// <summary>The registry asked for credentials and none were given (<c>no basic auth credentials</c>).</summary>
    CredentialsMissing,
    /// <summary>The registry rejected the credentials given (HTTP 401, <c>unauthorized</c>).</summary>
    CredentialsRejected,
    /// <summary>The credentials were accepted but may not push there (<c>denied</c>, HTTP 403).</summary>
    AccessDenied,
}
