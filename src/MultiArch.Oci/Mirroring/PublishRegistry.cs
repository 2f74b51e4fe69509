using System.Text.RegularExpressions;

namespace MultiArch.Oci.Mirroring;

/// <summary>
/// One entry of <c>--registries</c>: a registry host with an optional namespace, <c>ghcr.io/acme</c> or
/// <c>127.0.0.1:5000</c>, parsed once. An image <c>server</c> goes to <c>&lt;host&gt;/&lt;namespace&gt;/server</c>, or
/// to <c>&lt;host&gt;/&lt;its declared path&gt;</c> when the entry has no namespace.
/// </summary>
public sealed partial record PublishRegistry
{
    private PublishRegistry(RegistryHost host, string? ns) => (Host, Namespace) = (host, ns);

    /// <summary>The registry host, e.g. <c>ghcr.io</c>.</summary>
    public RegistryHost Host { get; }

    /// <summary>The namespace, e.g. <c>acme</c> or <c>acme/mirror</c>, or null.</summary>
    public string? Namespace { get; }

    /// <summary>Parses <c>host[:port][/namespace]</c>.</summary>
    /// <exception cref="OciInputException">Not host[/namespace]: one line naming the value and the fix.</exception>
    public static PublishRegistry Parse(string text)
    {
        var value = (text ?? "").Trim().TrimEnd('/');
        var slash = value.IndexOf('/');
        if (value.Contains("://"))
            throw Bad(text, $"drop the scheme and write {value[(value.IndexOf("://", StringComparison.Ordinal) + 3)..]}");
        var hostText = slash < 0 ? value : value[..slash];
        if (!RegistryHost.TryParse(hostText, out var host))
            throw Bad(text, $"'{hostText}' is not a registry host (it needs a dot or a port, or is localhost)");
        var ns = slash < 0 ? null : value[(slash + 1)..];
        if (ns is not null && !NamespacePattern().IsMatch(ns))
            throw Bad(text, $"namespace '{ns}' is not a repository path (lowercase letters, digits and . _ - between slashes)");
        return new PublishRegistry(host, ns);
    }

    /// <summary>
    /// The repository of an image here: <paramref name="name"/> under the namespace, else
    /// <paramref name="declaredPath"/>.
    /// </summary>
    public string RepositoryFor(string name, string declaredPath) => Namespace is { } ns ? $"{ns}/{name}" : declaredPath;

    /// <summary>The entry as written, e.g. <c>ghcr.io/acme</c>.</summary>
    public override string ToString() => Namespace is null ? Host.Value : $"{Host.Value}/{Namespace}";

    private static OciInputException Bad(string? text, string why) =>
        new($"--registries entry '{text}' is not host[/namespace]: {why}; write it like ghcr.io/acme, docker.io/acme or 127.0.0.1:5000.");

    // The distribution spec's path components: [a-z0-9]+ joined by one of . _ __ - (dashes may repeat), split by slashes.
    [GeneratedRegex("^[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex NamespacePattern();
}
