using System.Net;
using System.Net.Sockets;

namespace NeuraScale.LocalHost;

/// <summary>Free TCP ports on 127.0.0.1, for the local stack and the tests.</summary>
public static class LoopbackPorts
{
    /// <summary>
    /// <paramref name="count"/> distinct ports that were free a moment ago (all are held open together while picked,
    /// so they differ; another process could still take one before it is used).
    /// </summary>
    public static int[] Free(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        foreach (var listener in listeners)
        {
            listener.Start();
        }

        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var listener in listeners)
        {
            listener.Stop();
        }

        return ports;
    }

    /// <summary>True when nothing listens on <paramref name="port"/> at 127.0.0.1.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
