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
}
