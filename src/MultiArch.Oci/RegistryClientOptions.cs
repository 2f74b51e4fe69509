namespace MultiArch.Oci;

/// <summary>Settings for a <see cref="RegistryClient"/>.</summary>
public sealed record RegistryClientOptions
{
    /// <summary>Credentials, or null for anonymous access.</summary>
    public RegistryCredentials? Credentials { get; init; }

    /// <summary>Registries (host[:port]) that may be reached over plain HTTP. Loopback hosts always may.</summary>
    public IReadOnlyCollection<string> InsecureRegistries { get; init; } = [];

    /// <summary>
    /// The handler that does the actual I/O (tests and benchmarks pass one to count or shape traffic).
    /// The client does not dispose it. Null: a <see cref="SocketsHttpHandler"/> owned by the client.
    /// </summary>
    public HttpMessageHandler? InnerHandler { get; init; }

    /// <summary>The retry policy.</summary>
    public RetryPolicy Retry { get; init; } = new();

    /// <summary>Timeout of one HTTP attempt.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The User-Agent header.</summary>
    public string UserAgent { get; init; } = "MultiArch";
}
