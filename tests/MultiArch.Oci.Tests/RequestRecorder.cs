using System.Collections.Concurrent;

namespace MultiArch.Oci.Tests;

/// <summary>
/// The wire under a <see cref="RegistryClient"/> (its <c>InnerHandler</c>): records every request that reaches the
/// registry, in order, as <c>METHOD /path</c>, so a test can check the order of a sequence (not only its end state).
/// </summary>
internal sealed class RequestRecorder() : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly ConcurrentQueue<string> _requests = new();

    /// <summary>Every request so far, e.g. <c>PUT /v2/demo/app/manifests/latest</c> (the path unescaped).</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>Forgets the requests so far (e.g. those that pushed the test's images).</summary>
    public void Clear() => _requests.Clear();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _requests.Enqueue($"{request.Method} {Uri.UnescapeDataString(request.RequestUri!.AbsolutePath)}");
        return base.SendAsync(request, cancellationToken);
    }
}
