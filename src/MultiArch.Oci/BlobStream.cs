namespace MultiArch.Oci;

/// <summary>A blob being read from a registry (<see cref="RegistryClient.OpenBlobAsync"/>); disposing it closes the answer.</summary>
public sealed class BlobStream(HttpResponseMessage response, Stream content, long length) : IDisposable
{
    /// <summary>The bytes, read as they arrive.</summary>
    public Stream Content { get; } = content;

    /// <summary>The length the registry announced, or -1.</summary>
    public long Length { get; } = length;

    /// <summary>Closes the stream and the HTTP answer.</summary>
    public void Dispose()
    {
        Content.Dispose();
        response.Dispose();
    }
}
