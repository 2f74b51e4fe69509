namespace MultiArch.Oci;

/// <summary>Reads the RFC 8288 <c>Link: &lt;url&gt;; rel="next"</c> header registries use for pagination.</summary>
internal static class LinkHeader
{
    /// <summary>The next page's URL (relative or absolute), or null on the last page.</summary>
    public static string? Next(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values)) return null;
        foreach (var link in values.SelectMany(v => v.Split(',')))
        {
            var parts = link.Split(';');
            var url = parts[0].Trim();
            if (url.Length < 2 || url[0] != '<' || url[^1] != '>') continue;
            if (parts.Skip(1).Any(p => p.Trim().Replace(" ", "") is "rel=\"next\"" or "rel=next"))
                return url[1..^1].TrimStart('/');
        }
        return null;
    }
}
