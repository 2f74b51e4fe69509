using System.Text.Json;

namespace MultiArch.Oci;

/// <summary>Turns a registry's error body (<c>{"errors":[{"code","message"}]}</c>) into a short phrase.</summary>
internal static class RegistryError
{
    public static async Task<string> DescribeAsync(HttpResponseMessage response)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(); // already buffered by the counter
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
                return string.Concat(errors.EnumerateArray().Take(1).Select(e =>
                    $" {(e.TryGetProperty("code", out var c) ? c.GetString() : "")}: " +
                    $"{(e.TryGetProperty("message", out var m) ? m.GetString() : "")}"));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or HttpRequestException) { }
        return "";
    }
}
