namespace MultiArch.Oci;

/// <summary>What a client has sent and received so far, counted on the wire (every attempt, token requests included).</summary>
/// <param name="Requests">HTTP requests sent, including retries and token requests.</param>
/// <param name="BytesSent">Request bytes: request line, headers and body.</param>
/// <param name="BytesReceived">Response bytes: status line, headers and body.</param>
/// <param name="Retries">Attempts that were retries.</param>
/// <param name="TokenRequests">Requests to a token endpoint.</param>
public sealed record RegistryTraffic(long Requests, long BytesSent, long BytesReceived, long Retries, long TokenRequests)
{
    /// <summary>No traffic.</summary>
    public static RegistryTraffic Zero { get; } = new(0, 0, 0, 0, 0);

    /// <summary>The traffic between two snapshots.</summary>
    public static RegistryTraffic operator -(RegistryTraffic after, RegistryTraffic before) => new(
        after.Requests - before.Requests, after.BytesSent - before.BytesSent, after.BytesReceived - before.BytesReceived,
        after.Retries - before.Retries, after.TokenRequests - before.TokenRequests);
}
