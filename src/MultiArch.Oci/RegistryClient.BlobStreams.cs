using System.Net;
using System.Net.Http.Headers;

namespace MultiArch.Oci;

// Blobs as streams, for registry-to-registry copies: a layer goes from the source's GET straight into the
// destination's upload without ever being held in memory whole.
public sealed partial class RegistryClient
{
    /// <summary>
    /// Marks a request whose body or answer is a stream: the handlers count it by its Content-Length instead of
    /// buffering it, and a request with a streamed body is sent once (a stream cannot be replayed; the caller restarts).
    /// </summary>
    internal static readonly HttpRequestOptionsKey<bool> Streamed = new("MultiArch.Streamed");

    /// <summary>
    /// Opens a blob for reading without downloading it first. Dispose the result to release the connection.
    /// The bytes are not verified here: the destination of a copy checks them against the digest it is given.
    /// </summary>
    /// <exception cref="OciRegistryException">The blob does not exist, or the registry failed.</exception>
    public async Task<BlobStream> OpenBlobAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        var response = await SendStreamedAsync(HttpMethod.Get, $"v2/{repository}/blobs/{digest}", null, cancellationToken);
        try
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
                throw new OciRegistryException($"Blob {Registry}/{repository}@{digest} does not exist in the registry.",
                    HttpStatusCode.NotFound);
            await EnsureSuccessAsync(response, $"GET blob {repository}@{digest}");
            var length = response.Content.Headers.ContentLength ?? -1;
            return new BlobStream(response, await response.Content.ReadAsStreamAsync(cancellationToken), length);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Uploads <paramref name="blob"/>'s bytes from <paramref name="content"/> in one request body (a monolithic
    /// upload: POST a session, PUT the stream with <c>?digest=</c>). The registry verifies the digest and size, so a
    /// truncated or altered stream is refused rather than stored. Sent once; on failure the caller starts over.
    /// </summary>
    /// <exception cref="OciRegistryException">The registry refused the upload.</exception>
    public async Task PushBlobStreamAsync(string repository, Descriptor blob, Stream content, CancellationToken cancellationToken = default)
    {
        Uri location;
        using (var start = await SendAsync(HttpMethod.Post, $"v2/{repository}/blobs/uploads/", null, cancellationToken))
        {
            await EnsureSuccessAsync(start, $"start upload to {repository}");
            location = UploadLocation(start);
        }
        var separator = location.Query.Length > 0 ? "&" : "?";
        using var finish = await SendStreamedAsync(HttpMethod.Put, $"{location}{separator}digest={blob.Digest}", r =>
        {
            r.Content = new StreamContent(content, 81920);
            r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            r.Content.Headers.ContentLength = blob.Size;
        }, cancellationToken);
        await EnsureSuccessAsync(finish, $"finish upload of {blob.Digest} to {repository}");
    }

    private async Task<HttpResponseMessage> SendStreamedAsync(HttpMethod method, string path, Action<HttpRequestMessage>? configure,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Options.Set(Streamed, true);
        configure?.Invoke(request);
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException)
        {
            // InvalidOperationException: the auth handler tried to replay a body already sent (a token expired mid-copy).
            throw new OciRegistryException($"{method} {Registry}/{path.Split('?')[0].Replace(BaseAddress.ToString(), "")} " +
                $"failed: {e.Message}", null, e);
        }
    }
}
