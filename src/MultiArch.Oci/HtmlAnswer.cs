using System.Net;

namespace MultiArch.Oci;

/// <summary>
/// A web page where JSON was expected: a typo'd host, a proxy's login page or a web app answering every path with
/// 200. Named as such instead of the JSON parser's <c>'&lt;' is an invalid start of a value</c>.
/// </summary>
internal static class HtmlAnswer
{
    /// <summary>Throws when the response is HTML (by its Content-Type, or by a body starting with '&lt;').</summary>
    /// <param name="response">The response.</param>
    /// <param name="body">Its body.</param>
    /// <param name="what">What was asked for, e.g. <c>a registry</c> or <c>a token endpoint</c>.</param>
    /// <exception cref="OciRegistryException">The answer was HTML.</exception>
    public static void ThrowIf(HttpResponseMessage response, ReadOnlySpan<byte> body, string what)
    {
        var type = response.Content.Headers.ContentType?.MediaType;
        var start = body.TrimStart(" \t\r\n"u8);
        if (type is not ("text/html" or "application/xhtml+xml") && (start.IsEmpty || start[0] != (byte)'<')) return;
        var url = response.RequestMessage?.RequestUri is { } uri ? uri.GetLeftPart(UriPartial.Path) : "The server";
        throw new OciRegistryException(
            $"{url} answered HTML, not JSON: is this {what}? Check the host name (and any proxy in between).",
            (HttpStatusCode?)response.StatusCode);
    }
}
