using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

/// <summary>
/// Pushes packages to a NuGet v3 feed the way <c>dotnet nuget push</c> does (the service index's PackagePublish
/// resource, a multipart PUT with the X-NuGet-ApiKey header), but with the key in memory only: <c>dotnet nuget push
/// --api-key</c> would put it on a command line, readable in /proc/&lt;pid&gt;/cmdline. nuget.org and GitHub Packages both
/// take this request (https://learn.microsoft.com/nuget/api/package-publish-resource).
/// </summary>
sealed class NuGetPush(string serviceIndex, string apiKey) : IDisposable
{
    readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(5) };
    string? _publishUrl;

    /// <summary>Pushes one .nupkg; says "pushed" or "already on the feed" (409: that version exists, as --skip-duplicate).</summary>
    public async Task<string> PushAsync(string package, CancellationToken cancellation)
    {
        var url = _publishUrl ??= await PublishUrlAsync(cancellation);
        using var content = new MultipartFormDataContent();
        var file = new StreamContent(File.OpenRead(package));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(file, "package", Path.GetFileName(package));
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = content };
        request.Headers.Add("X-NuGet-ApiKey", apiKey);
        using var response = await _http.SendAsync(request, cancellation);
        if (response.StatusCode == HttpStatusCode.Conflict) return "already on the feed";
        if (response.IsSuccessStatusCode) return "pushed";
        var reason = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            ? "the key was rejected: check the key's scope (push) and that it may push this package id"
            : (await response.Content.ReadAsStringAsync(cancellation)).Trim();
        throw new MultiArch.Build.BuildException($"Pushing {Path.GetFileName(package)} to {url} failed: {(int)response.StatusCode} "
            + $"{response.ReasonPhrase}; {reason}");
    }

    async Task<string> PublishUrlAsync(CancellationToken cancellation)
    {
        using var index = JsonDocument.Parse(await _http.GetStringAsync(serviceIndex, cancellation));
        foreach (var resource in index.RootElement.GetProperty("resources").EnumerateArray())
            if (resource.GetProperty("@type").GetString() is { } type && type.StartsWith("PackagePublish/", StringComparison.Ordinal))
                return resource.GetProperty("@id").GetString()!;
        throw new MultiArch.Build.BuildException($"{serviceIndex} lists no PackagePublish resource: is --nuget-source a NuGet "
            + "v3 service index (…/index.json)?");
    }

    public void Dispose() => _http.Dispose();
}
