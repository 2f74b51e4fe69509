using MultiArch.Build;
using MultiArch.Oci;

namespace MultiArch.Components;

/// <summary>
/// What <c>--image</c> and <c>--repository</c> mean, decided in one place. <c>--image</c> only selects: a value is an
/// image's name (<c>worker</c>) or its declared repository, with or without host (<c>newcomer/worker</c>,
/// <c>ghcr.io/newcomer/worker</c>). It never renames or re-targets an image: once, a value with a '/' published the
/// first image under it, so <c>--image newcomer/worker</c> pushed api's content as worker. Publishing elsewhere is
/// <c>--repository</c>, which needs exactly one selected image.
/// </summary>
public static class ImageSelection
{
    /// <summary>The images a run builds, in declaration order.</summary>
    /// <exception cref="BuildException">A value names no image, carries a tag or digest, or --repository is ambiguous.</exception>
    public static IReadOnlyList<ImageDefinition> Select(IReadOnlyList<ImageDefinition> images, IReadOnlyList<string>? names,
        string? repository)
    {
        if (images.GroupBy(i => i.Name).FirstOrDefault(g => g.Count() > 1) is { } shared)
            throw new BuildException($"Two images share the name '{shared.Key}'. Give each ImageDefinition its own Name.");
        var selected = names is null or [] ? images : images.Where(i => names.Any(n => Matches(i, Checked(n, images)))).ToList();
        if (repository is not null) CheckRepository(repository, selected);
        return selected;
    }

    static bool Matches(ImageDefinition image, string value) =>
        value.Equals(image.Name, StringComparison.OrdinalIgnoreCase)
        || value.Equals(image.Repository, StringComparison.OrdinalIgnoreCase)
        || value.Equals(PipelineNaming.PathOf(image.Repository), StringComparison.OrdinalIgnoreCase);

    // Returns the value when some image matches it; else says why not, with the fix.
    static string Checked(string value, IReadOnlyList<ImageDefinition> images)
    {
        var known = string.Join(", ", images.Select(i => i.Name == i.Repository ? i.Name : $"{i.Name} ({i.Repository})"));
        if (value.Length == 0)
            throw new BuildException($"--image is empty: name an image ({known}), or leave --image out to build them all.");
        if (value.IndexOf('@') is var at and >= 0)
            throw new BuildException($"--image {value}: --image selects an image and takes no digest; write --image {value[..at]}.");
        if (value.LastIndexOf(':') is var colon and >= 0 && colon > value.LastIndexOf('/'))
            throw new BuildException($"--image {value}: --image selects an image and takes no tag; write --image {value[..colon]} "
                + $"--version {value[(colon + 1)..]}.");
        if (images.Any(i => Matches(i, value))) return value;
        var candidates = images.SelectMany(i => new[] { i.Name, PipelineNaming.PathOf(i.Repository) }).Distinct();
        var elsewhere = value.Contains('/')
            ? PipelineNaming.HostOf(value) is { } host
                ? $" To publish to another registry, pass --registry {host} --repository {value[(host.Length + 1)..]} "
                    + "with the image's name in --image."
                : " To publish an image under another repository path, pass --repository " + value + " with the image's name in --image."
            : "";
        throw new BuildException($"--image {value}: no such image.{DidYouMean.Suggest(value, candidates)} The "
            + $"images are {known}.{elsewhere}");
    }

    static void CheckRepository(string repository, IReadOnlyList<ImageDefinition> selected)
    {
        if (PipelineNaming.HostOf(repository) is { } host)
            throw new BuildException($"--repository {repository} includes a registry host: pass --registry {host} --repository "
                + $"{repository[(host.Length + 1)..]}.");
        if (repository.IndexOf('@') is var at and >= 0 || repository.LastIndexOf(':') > repository.LastIndexOf('/'))
            throw new BuildException($"--repository {repository}: a repository path takes no tag or digest; "
                + "pass the version with --version.");
        try { ImageReference.Create(Docker.LocalRegistry.DefaultHost, repository); }
        catch (OciInputException e) { throw new BuildException($"--repository {repository}: {e.Message}"); }
        if (selected.Count != 1)
            throw new BuildException($"--repository {repository} publishes one image, but this run selects {selected.Count} "
                + $"({string.Join(", ", selected.Select(i => i.Name))}): add --image <name> to pick one.");
    }
}
