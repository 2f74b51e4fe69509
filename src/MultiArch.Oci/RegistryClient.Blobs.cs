using System.Net;
using System.Net.Http.Headers;

namespace MultiArch.Oci;

// Blobs: existence, download (digest-verified), upload in one body or in chunks, and cross-repository mounts.
public sealed partial class RegistryClient
{
    /// <summary>True when the repository has the blob.</summary>
    public async Task<bool> BlobExistsAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Head, $"v2/{repository}/blobs/{digest}", null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        await EnsureSuccessAsync(response, $"HEAD blob {repository}@{digest}");
        return true;
    }

    /// <summary>Downloads a blob (typically an image config), verifying its digest.</summary>
    public async Task<byte[]> GetBlobAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, $"v2/{repository}/blobs/{digest}", null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new OciRegistryException($"Blob {Registry}/{repository}@{digest} does not exist in the registry.",
                HttpStatusCode.NotFound);
        await EnsureSuccessAsync(response, $"GET blob {repository}@{digest}");
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!digest.Matches(bytes)) throw Mismatch(repository, digest.ToString(), Digest.Compute(bytes));
        return bytes;
    }

    /// <summary>
    /// Uploads a blob unless the repository already has it: in one request body, or in chunks of
    /// <paramref name="chunkSize"/> bytes. A failed upload is restarted from the beginning (uploads are not resumable
    /// after a lost response), a bounded number of times.
    /// </summary>
    public async Task<Descriptor> PushBlobAsync(string repository, ReadOnlyMemory<byte> content, string mediaType,
        int? chunkSize = null, CancellationToken cancellationToken = default)
    {
        var digest = Digest.Compute(content.Span);
        var descriptor = new Descriptor(mediaType, digest, content.Length);
        for (var attempt = 1; ; attempt++)
        {
            if (await BlobExistsAsync(repository, digest, cancellationToken)) return descriptor;
            try
            {
                await UploadAsync(repository, content, digest, chunkSize, cancellationToken);
                return descriptor;
            }
            catch (OciRegistryException e) when (attempt < 3 && !cancellationToken.IsCancellationRequested &&
                                                 e.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
            {
                // Fall through: check existence again (the lost response may have been a success) and restart.
            }
        }
    }

    /// <summary>
    /// Mounts a blob from another repository of the same registry, so nothing is uploaded.
    /// Returns false when the registry cannot mount it (the caller then uploads).
    /// </summary>
    public async Task<bool> MountBlobAsync(string repository, Digest digest, string fromRepository,
        CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Post,
            $"v2/{repository}/blobs/uploads/?mount={digest}&from={Uri.EscapeDataString(fromRepository)}", null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Created) return true;
        await EnsureSuccessAsync(response, $"mount blob {digest} from {fromRepository} into {repository}");
        // 202: the registry opened a normal upload instead; cancel it so it does not linger.
        if (response.Headers.Location is { } location)
            using (await SendAsync(HttpMethod.Delete, location.ToString(), null, cancellationToken)) { }
        return false;
    }

    private async Task UploadAsync(string repository, ReadOnlyMemory<byte> content, Digest digest, int? chunkSize,
        CancellationToken cancellationToken)
    {
        Uri location;
        using (var start = await SendAsync(HttpMethod.Post, $"v2/{repository}/blobs/uploads/", null, cancellationToken))
        {
            await EnsureSuccessAsync(start, $"start upload to {repository}");
            location = UploadLocation(start);
        }
        if (chunkSize is { } size && size > 0 && content.Length > size)
        {
            for (var offset = 0; offset < content.Length; offset += size)
            {
                var chunk = content.Slice(offset, Math.Min(size, content.Length - offset));
                using var patch = await SendAsync(HttpMethod.Patch, location.ToString(), r =>
                {
                    r.Content = new ReadOnlyMemoryContent(chunk);
                    r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                    r.Content.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + chunk.Length - 1}");
                }, cancellationToken);
                await EnsureSuccessAsync(patch, $"upload chunk to {repository}");
                location = UploadLocation(patch);
            }
            content = ReadOnlyMemory<byte>.Empty;
        }
        var separator = location.Query.Length > 0 ? "&" : "?";
        using var finish = await SendAsync(HttpMethod.Put, $"{location}{separator}digest={digest}", r =>
        {
            r.Content = new ReadOnlyMemoryContent(content);
            r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        }, cancellationToken);
        await EnsureSuccessAsync(finish, $"finish upload of {digest} to {repository}");
    }

    private Uri UploadLocation(HttpResponseMessage response) =>
        response.Headers.Location is { } location
            ? new Uri(BaseAddress, location)
            : throw new OciRegistryException($"{Registry} answered an upload without a Location header; it is not a standard registry.");
}
