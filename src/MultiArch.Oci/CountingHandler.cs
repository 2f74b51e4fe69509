using System.Net.Http.Headers;

namespace MultiArch.Oci;

/// <summary>
/// The bottom of the client's pipeline: counts each request and response on the wire, and sends through an
/// invoker so a caller-supplied handler is never disposed by the client.
/// </summary>
internal sealed class CountingHandler(HttpMessageInvoker wire, TrafficCounter counter) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        long body = 0;
        // A streamed blob is counted by its announced length: buffering it would hold a whole layer in memory.
        var streamed = request.Options.TryGetValue(RegistryClient.Streamed, out var s) && s;
        if (request.Content is not null)
        {
            if (!streamed) await request.Content.LoadIntoBufferAsync(cancellationToken);
            body = request.Content.Headers.ContentLength ?? 0;
        }
        counter.Request(request.Method.Method.Length + (request.RequestUri?.PathAndQuery.Length ?? 0) + 12 +
                        HeaderBytes(request.Headers) + HeaderBytes(request.Content?.Headers) + body);
        var response = await wire.SendAsync(request, cancellationToken);
        // Buffering lets us count the body; manifests and configs are small, and blobs are read whole anyway.
        if (!streamed) await response.Content.LoadIntoBufferAsync(cancellationToken);
        counter.Received(15 + HeaderBytes(response.Headers) + HeaderBytes(response.Content.Headers) +
                         (request.Method == HttpMethod.Head ? 0 : response.Content.Headers.ContentLength ?? 0));
        return response;
    }

    private static long HeaderBytes(HttpHeaders? headers) =>
        headers?.Sum(h => h.Key.Length + 4 + h.Value.Sum(v => v.Length + 2)) ?? 0;
}
