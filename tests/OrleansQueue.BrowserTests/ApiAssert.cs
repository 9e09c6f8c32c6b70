using System.Net;
using System.Text.Json;

namespace OrleansQueue.BrowserTests;

/// <summary>Checks of the web side's answers.</summary>
public static class ApiAssert
{
    /// <summary>The response has <paramref name="expected"/> status and a JSON <c>{"error"}</c> containing
    /// <paramref name="messagePart"/>; returns the error.</summary>
    public static async Task<string> ErrorAsync(HttpResponseMessage response, HttpStatusCode expected, string messagePart)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, not {(int)expected}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error").GetString();
        Assert.Contains(messagePart, error, StringComparison.Ordinal);
        return error!;
    }
}
