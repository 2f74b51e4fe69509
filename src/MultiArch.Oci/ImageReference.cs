using System.Text.RegularExpressions;

namespace MultiArch.Oci;

/// <summary>
/// An image reference in the Docker grammar: <c>[registry[:port]/]repository[:tag][@digest]</c>,
/// with Docker Hub's defaults (<c>docker.io</c>, <c>library/</c>) filled in.
/// </summary>
public sealed partial record ImageReference
{
    /// <summary>The registry name users write for Docker Hub.</summary>
    public const string DockerHub = "docker.io";

    private ImageReference(string registry, string repository, string? tag, Digest? digest) =>
        (Registry, Repository, Tag, Digest) = (registry, repository, tag, digest);

    /// <summary>Registry host with optional port, e.g. <c>ghcr.io</c> or <c>127.0.0.1:5000</c>.</summary>
    public string Registry { get; }

    /// <summary>Repository path, possibly multi-level, e.g. <c>owner/app/dev</c> or <c>library/busybox</c>.</summary>
    public string Repository { get; }

    /// <summary>The tag, or null.</summary>
    public string? Tag { get; }

    /// <summary>The digest, or null.</summary>
    public Digest? Digest { get; }

    /// <summary>The host to talk HTTP to: Docker Hub's API lives on <c>registry-1.docker.io</c>.</summary>
    public string ApiHost => Registry == DockerHub ? "registry-1.docker.io" : Registry;

    /// <summary><c>registry/repository</c> without tag or digest.</summary>
    public string Name => $"{Registry}/{Repository}";

    /// <summary>Parses a reference such as <c>ghcr.io/acme/server:1.4.0</c> or <c>busybox@sha256:…</c>.</summary>
    /// <exception cref="OciInputException">The text is not a valid reference.</exception>
    public static ImageReference Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw Bad(text, "it is empty; write registry/repository[:tag], for example ghcr.io/acme/app:1.0.0");
        if (text.Any(char.IsWhiteSpace))
            throw Bad(text, "it contains white space; remove it");

        var rest = text;
        Digest? digest = null;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            if (!Digest.TryParse(rest[(at + 1)..], out var parsed))
                throw Bad(text, "the part after '@' must be sha256: followed by 64 lower-case hex characters");
            digest = parsed;
            rest = rest[..at];
        }

        string? tag = null;
        var lastSlash = rest.LastIndexOf('/');
        var colon = rest.LastIndexOf(':');
        if (colon > lastSlash)
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            ValidateTag(tag, text);
        }

        var (registry, repository) = SplitRegistry(rest);
        ValidateRegistry(registry, text);
        ValidateRepository(repository, text);
        if (registry.Length + 1 + repository.Length > 255)
            throw Bad(text, "the name is longer than 255 characters; shorten the repository path");
        return new ImageReference(registry, repository, tag, digest);
    }

    /// <summary>Builds a reference from a registry and a repository (<c>--registry</c> plus <c>--image</c>).</summary>
    /// <exception cref="OciInputException">The registry is not a host (see <see cref="RegistryHost"/>), or the
    /// reference is not valid.</exception>
    public static ImageReference Create(string registry, string repository) => Create(RegistryHost.Parse(registry), repository);

    /// <summary>Builds a reference from a parsed registry host and a repository path.</summary>
    public static ImageReference Create(RegistryHost registry, string repository) => Parse($"{registry}/{repository}");

    /// <summary>Parses a reference, returning false instead of throwing.</summary>
    public static bool TryParse(string text, out ImageReference reference)
    {
        try { reference = Parse(text); return true; }
        catch (OciInputException) { reference = null!; return false; }
    }

    /// <summary>The same repository with this tag (any digest is dropped).</summary>
    public ImageReference WithTag(string tag)
    {
        ValidateTag(tag, $"{Name}:{tag}");
        return new ImageReference(Registry, Repository, tag, null);
    }

    /// <summary>The same repository pinned to this digest (the tag is kept for readability).</summary>
    public ImageReference WithDigest(Digest digest) => new(Registry, Repository, Tag, digest);

    /// <summary>The same repository without tag or digest.</summary>
    public ImageReference WithoutTagOrDigest() => new(Registry, Repository, null, null);

    /// <summary>The full form, e.g. <c>ghcr.io/acme/server:1.4.0@sha256:…</c>.</summary>
    public override string ToString() =>
        Name + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    /// <summary>Checks a tag against the OCI rule (128 characters of <c>[A-Za-z0-9_.-]</c>, not starting with . or -).</summary>
    /// <exception cref="OciInputException">The tag is not valid.</exception>
    public static void ValidateTag(string tag, string? input = null)
    {
        if (string.IsNullOrEmpty(tag))
            throw new OciInputException($"Tag in '{input ?? tag}' is empty: write a tag after ':' or drop the ':'.");
        if (tag.Length > 128)
            throw new OciInputException($"Tag '{Shorten(tag)}' is {tag.Length} characters: tags may be at most 128 characters.");
        if (!TagPattern().IsMatch(tag))
            throw new OciInputException(
                $"Tag '{tag}' is not valid: use letters, digits, '_', '.' and '-', not starting with '.' or '-'.");
    }

    private static (string Registry, string Repository) SplitRegistry(string name)
    {
        var slash = name.IndexOf('/');
        if (slash < 0) return (DockerHub, "library/" + name);
        var first = name[..slash];
        // Docker's rule: the first component is a host when it has a dot, a port, or is localhost.
        if (!first.Contains('.') && !first.Contains(':') && first != "localhost" && !first.StartsWith('['))
            return (DockerHub, name);
        var registry = first is "index.docker.io" or "registry-1.docker.io" ? DockerHub : first;
        var repository = name[(slash + 1)..];
        if (registry == DockerHub && !repository.Contains('/')) repository = "library/" + repository;
        return (registry, repository);
    }

    private static void ValidateRegistry(string registry, string input)
    {
        if (!RegistryPattern().IsMatch(registry))
            throw Bad(input, $"'{registry}' is not a registry host; write host[:port], for example ghcr.io or 127.0.0.1:5000");
    }

    private static void ValidateRepository(string repository, string input)
    {
        if (repository.Length == 0)
            throw Bad(input, "the repository is empty; write registry/owner/name");
        if (repository.Any(char.IsUpper))
            throw Bad(input, $"repository '{repository}' has upper-case letters; repository names must be lower case");
        foreach (var component in repository.Split('/'))
        {
            if (component.Length == 0)
                throw Bad(input, "it has an empty path component ('//' or a trailing '/'); remove it");
            if (!ComponentPattern().IsMatch(component))
                throw Bad(input, $"path component '{component}' is not valid; " +
                    "use lower-case letters and digits separated by single '.', '_', '__' or dashes");
        }
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..37] + "...";

    private static OciInputException Bad(string? input, string fix) =>
        new($"Image reference '{Shorten(input ?? "")}' is not valid: {fix}.");

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$")]
    private static partial Regex ComponentPattern();

    // host names (letters, digits, dots, dashes), IPv4, or a bracketed IPv6 literal, with an optional port.
    [GeneratedRegex(@"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*" +
        @"|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$")]
    private static partial Regex RegistryPattern();
}
