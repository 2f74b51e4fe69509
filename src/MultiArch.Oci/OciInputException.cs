namespace MultiArch.Oci;

/// <summary>
/// Bad input from the user (a reference, platform, tag, digest or digest record).
/// The message is one line that names the input and says how to fix it, so it can be printed as is.
/// </summary>
public sealed class OciInputException : Exception
{
    /// <summary>Creates the exception with a one-line message naming the input and the fix.</summary>
    public OciInputException(string message) : base(message) { }

    /// <summary>Creates the exception with a one-line message and the underlying cause.</summary>
    public OciInputException(string message, Exception inner) : base(message, inner) { }
}
