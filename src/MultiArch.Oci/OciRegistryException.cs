using System.Net;

namespace MultiArch.Oci;

/// <summary>
/// The registry refused or failed an operation (after retries). The message is one line naming the
/// operation and the registry, never a credential.
/// </summary>
public sealed class OciRegistryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public OciRegistryException(string message, HttpStatusCode? statusCode = null, Exception? inner = null)
        : base(message, inner) => StatusCode = statusCode;

    /// <summary>The HTTP status the registry answered with, when there was an answer.</summary>
    public HttpStatusCode? StatusCode { get; }
}
