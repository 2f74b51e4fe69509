namespace MultiArch.Ghcr;

/// <summary>
/// Cleanup could not run: bad input, a missing permission or a GitHub API failure that retries did not cure.
/// The message is one line naming the input or the cause and the fix, and never contains the token.
/// </summary>
public sealed class GhcrCleanupException : Exception
{
    /// <summary>Creates the exception with its one-line message.</summary>
    public GhcrCleanupException(string message) : base(message) { }

    /// <summary>Creates the exception with its one-line message and the underlying cause.</summary>
    public GhcrCleanupException(string message, Exception inner) : base(message, inner) { }
}
