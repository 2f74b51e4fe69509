using System.Text.RegularExpressions;

namespace MultiArch.Oci;

/// <summary>
/// A registry host as given to <c>--registry</c>: <c>host[:port]</c>, parsed once. Docker's rule decides what a host
/// is (it has a dot or a port, or is <c>localhost</c>): anything else would be read as a Docker Hub namespace, so
/// <c>ghcr</c> (a typo for ghcr.io) would publish to <c>docker.io/ghcr/...</c>. Such a value is refused.
/// </summary>
public sealed partial record RegistryHost
{
    // Registries people shorten by mistake; a bare name that is the start of one gets a suggestion.
    private static readonly string[] Known = ["ghcr.io", "docker.io", "quay.io", "gcr.io", "public.ecr.aws",
        "registry.gitlab.com", "mcr.microsoft.com"];

    private RegistryHost(string value) => Value = value;

    /// <summary>The host with its optional port, e.g. <c>ghcr.io</c> or <c>127.0.0.1:5000</c>.</summary>
    public string Value { get; }

    /// <summary>Parses a registry host.</summary>
    /// <exception cref="OciInputException">The text is not a host: one line naming it and the fix.</exception>
    public static RegistryHost Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw Bad(text, "it is empty; write host[:port], for example ghcr.io or 127.0.0.1:5000");
        if (text.Any(char.IsWhiteSpace))
            throw Bad(text, "it contains white space; remove it");
        if (text.IndexOf("://", StringComparison.Ordinal) is var scheme and > 0)
            throw Bad(text, $"drop the scheme '{text[..(scheme + 3)]}' and write {text[(scheme + 3)..].TrimEnd('/')} (loopback " +
                "hosts are spoken to over plain HTTP anyway; others need --insecure-registries)");
        if (text.TrimEnd('/').Contains('/'))
            throw Bad(text, $"it has a path; pass the host alone (--registry {text[..text.IndexOf('/')]}) and the path in --image");
        var host = text.TrimEnd('/');
        if (!HostPattern().IsMatch(host))
            throw Bad(text, "it is not a host name; use letters, digits, dots and dashes with an optional :port, " +
                "for example ghcr.io or 127.0.0.1:5000");
        var portAt = host.StartsWith('[') ? host.IndexOf("]:", StringComparison.Ordinal) + 1 : host.LastIndexOf(':');
        if (portAt > 0 && !(int.TryParse(host[(portAt + 1)..], out var port) && port is > 0 and <= 65535))
            throw Bad(text, $"port '{host[(portAt + 1)..]}' is not a port number (1 to 65535)");
        if (!host.Contains('.') && !host.Contains(':') && !host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            var known = Known.FirstOrDefault(k => k.StartsWith(host + ".", StringComparison.OrdinalIgnoreCase)
                || k.Split('.').Contains(host, StringComparer.OrdinalIgnoreCase));
            throw Bad(text, "a registry host has a dot or a port, " +
                "or is localhost (a bare name would be a Docker Hub namespace, docker.io/" + host + "/...)" +
                            (known is null ? "; write the full host, for example ghcr.io or 127.0.0.1:5000" : $"; did you mean {known}?"));
        }
        return new RegistryHost(host);
    }

    /// <summary>Parses a registry host, returning false instead of throwing.</summary>
    public static bool TryParse(string text, out RegistryHost host)
    {
        try { host = Parse(text); return true; }
        catch (OciInputException) { host = null!; return false; }
    }

    /// <summary>The host as written, e.g. <c>ghcr.io</c>.</summary>
    public override string ToString() => Value;

    private static OciInputException Bad(string text, string fix) =>
        new($"Registry '{(text.Length <= 60 ? text : text[..57] + "...")}' is not a registry host: {fix}{(fix.EndsWith('?') ? "" : ".")}");

    // host names (letters, digits, dots, dashes), IPv4, or a bracketed IPv6 literal, with an optional port.
    [GeneratedRegex(@"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*" +
        @"|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$")]
    private static partial Regex HostPattern();
}
