namespace OrleansQueue.Silo.Dashboard.Api;

/// <summary>The body of every 4xx/5xx answer of the API: <c>{"error": "..."}</c>.</summary>
public sealed record ErrorResponse(string Error);
