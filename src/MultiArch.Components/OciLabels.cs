using MultiArch.Oci;

namespace MultiArch.Components;

/// <summary>The <c>org.opencontainers.image.*</c> labels and index annotations, from git and the image definition.</summary>
public static class OciLabels
{
    /// <summary>Labels for an image (or annotations for its index); empty values are left out.</summary>
    public static Dictionary<string, string> For(ImageDefinition image, ImageVersion version, GitInfo git)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string key, string? value) { if (!string.IsNullOrWhiteSpace(value)) labels[key] = value; }
        Add(Annotations.Source, git.SourceUrl);
        Add(Annotations.Revision, git.Revision);
        Add(Annotations.Version, version.Text);
        // The commit time, not "now": the same commit builds the same labels, so re-runs give the same digests.
        Add(Annotations.Created, git.CommitTime?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"));
        Add("org.opencontainers.image.title", image.Title ?? image.Name);
        Add(Annotations.Description, image.Description);
        Add(Annotations.Licenses, image.Licenses);
        return labels;
    }

    /// <summary>
    /// Labels for a built image: <see cref="For"/>, and an empty description when the image declares none, so the
    /// FROM image's (busybox's, Debian's) never passes for this one's. A label cannot be removed, only overwritten.
    /// </summary>
    public static Dictionary<string, string> ForImage(ImageDefinition image, ImageVersion version, GitInfo git)
    {
        var labels = For(image, version, git);
        labels.TryAdd(Annotations.Description, "");
        return labels;
    }

    /// <summary>Labels for the local base stage: where it came from, when known (what it is, is the app stage's to say).</summary>
    public static Dictionary<string, string> ForBase(GitInfo git) =>
        git.SourceUrl is { Length: > 0 } source ? new(StringComparer.Ordinal) { [Annotations.Source] = source }
            : new(StringComparer.Ordinal);
}
