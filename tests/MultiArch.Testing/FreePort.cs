using System.Net;
using System.Net.Sockets;

namespace MultiArch.Testing;

/// <summary>Finds a free TCP port on 127.0.0.1 (for processes that cannot bind port 0 and report it back).</summary>
public static class FreePort
{
    /// <summary>A port that was free a moment ago.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
