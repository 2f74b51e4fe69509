using MultiArch.Oci;

namespace MultiArch.Docker;

/// <summary>What a build produced.</summary>
/// <param name="ImageId">The image ID (config digest) in the local engine or builder, e.g. <c>sha256:63e8...</c>.</param>
/// <param name="PushedDigest">The manifest digest the registry stored, when the build pushed; else null.</param>
/// <param name="Tags">The tags the image was given (and pushed under, when it pushed).</param>
public sealed record ImageBuildResult(string ImageId, Digest? PushedDigest, IReadOnlyList<ImageReference> Tags);
