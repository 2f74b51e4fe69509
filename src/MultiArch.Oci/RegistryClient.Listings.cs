using System.Net;
using System.Text.Json;

namespace MultiArch.Oci;

// Tag and repository listings, following Link pagination.
public sealed partial class RegistryClient
{
    /// <summary>All tags of a repository, following <c>Link</c> pagination; empty when the repository does not exist.</summary>
    public Task<IReadOnlyList<string>> ListTagsAsync(string repository, int pageSize = 1000,
        CancellationToken cancellationToken = default) =>
        ListPagedAsync($"v2/{repository}/tags/list?n={pageSize}", "tags", $"list tags of {repository}", cancellationToken);

    /// <summary>All repositories of the registry (<c>/v2/_catalog</c>), following <c>Link</c> pagination.</summary>
    public Task<IReadOnlyList<string>> ListRepositoriesAsync(int pageSize = 1000, CancellationToken cancellationToken = default) =>
        ListPagedAsync($"v2/_catalog?n={pageSize}", "repositories", "list repositories", cancellationToken);

    private async Task<IReadOnlyList<string>> ListPagedAsync(string first, string property, string operation,
        CancellationToken cancellationToken)
    {
        var items = new List<string>();
        string? next = first;
        while (next is not null)
        {
            using var response = await SendAsync(HttpMethod.Get, next, null, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound && items.Count == 0) return items;
            await EnsureSuccessAsync(response, operation);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            HtmlAnswer.ThrowIf(response, body, "a registry");
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty(property, out var list) && list.ValueKind == JsonValueKind.Array)
                items.AddRange(list.EnumerateArray().Select(t => t.GetString()).OfType<string>());
            next = LinkHeader.Next(response);
        }
        return items;
    }
}
