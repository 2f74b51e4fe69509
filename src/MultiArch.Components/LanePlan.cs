using MultiArch.Oci;

namespace MultiArch.Components;

/// <summary>
/// What one lane (image x platform) builds, decided once before its first build: the configured settings of each
/// stage, their input digests, and, when the registry's per-arch tag already holds an image of the same inputs, that
/// image (then BuildBase, BuildApp and PushArch are skipped and its digest is what the merge uses).
/// </summary>
/// <param name="Base">The base stage's settings, or null when the image has none.</param>
/// <param name="App">The app stage's settings (its labels include the input digest when it could be computed).</param>
/// <param name="InputDigest">The app image's input digest, or null when some input could not be resolved (then the lane builds).</param>
/// <param name="Unchanged">The image already under the per-arch tag with this input digest, or null.</param>
public sealed record LanePlan(DockerBuildSettings? Base, DockerBuildSettings App, Digest? InputDigest, ManifestDocument? Unchanged)
{
    /// <summary>
    /// The external images the stages start FROM, each resolved to its digest for the platform (the provenance's
    /// base images); empty when the input digest could not be computed.
    /// </summary>
    public IReadOnlyList<(ImageReference Reference, Digest Digest)> BaseImages { get; init; } = [];

    /// <summary>The engine's note on the skipped targets.</summary>
    public static string SkipReason(string tag) => $"unchanged since {tag}";
}
