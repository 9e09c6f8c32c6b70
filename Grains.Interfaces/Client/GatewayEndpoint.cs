using System.Net;
using System.Net.Sockets;
using OrleansQueue.Text;

namespace OrleansQueue.Client;

/// <summary>Parses the <c>--gateway host:port</c> value shared by the worker host and the console client.</summary>
public static class GatewayEndpoint
{
    public const string Default = "127.0.0.1:30000";

    /// <summary>One gateway or several separated by commas (<c>127.0.0.1:30000,127.0.0.1:30001</c>): the client uses
    /// any that answers and goes on through another when one dies.</summary>
    public static bool TryParseList(string? text, out IPEndPoint[] endpoints, out string error)
    {
        endpoints = [];
        var parts = (text ?? "").Split(',', StringSplitOptions.TrimEntries);
        var parsed = new List<IPEndPoint>(parts.Length);
        foreach (var part in parts)
        {
            if (!TryParse(part, out var endpoint, out error))
            {
                return false;
            }

            if (!parsed.Contains(endpoint))
            {
                parsed.Add(endpoint);
            }
        }

        endpoints = [.. parsed];
        error = "";
        return true;
    }

    public static bool TryParse(string? text, out IPEndPoint endpoint, out string error)
    {
        endpoint = new IPEndPoint(IPAddress.Loopback, 0);
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the gateway is empty: expected host:port, e.g. 127.0.0.1:30000";
            return false;
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), out var port) || port is < 1 or > 65535)
        {
            error = $"'{DisplayText.Echo(text)}' is not a gateway address: expected host:port with a port from 1 to 65535, e.g. 127.0.0.1:30000";
            return false;
        }

        var host = text[..colon].Trim('[', ']');
        if (IPAddress.TryParse(host, out var address))
        {
            endpoint = new IPEndPoint(address, port);
            return true;
        }

        try
        {
            var resolved = Dns.GetHostAddresses(host)
                .OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)
                .FirstOrDefault();
            if (resolved is null)
            {
                error = $"the gateway host '{host}' has no address";
                return false;
            }

            endpoint = new IPEndPoint(resolved, port);
            return true;
        }
        catch (SocketException ex)
        {
            error = $"the gateway host '{host}' cannot be resolved: {ex.Message}";
            return false;
        }
    }
}
