using System.Security.Cryptography;
using System.Text;
using MultiArch.Oci;

namespace MultiArch.Docker;

/// <summary>Everything that decides what one stage builds for one platform, as the input digest sees it.</summary>
public sealed record StageInputs
{
    /// <summary>The Dockerfile's bytes.</summary>
    public required ReadOnlyMemory<byte> Dockerfile { get; init; }

    /// <summary>The files the context sends (after <c>.dockerignore</c>).</summary>
    public required IReadOnlyList<ContextFile> Context { get; init; }

    /// <summary>Build arguments, as passed.</summary>
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    /// <summary>Labels that describe the image, not the commit (the revision and commit time are left out by the caller).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The stage built (<c>--target</c>), if any.</summary>
    public string? TargetStage { get; init; }

    /// <summary>Each external image the Dockerfile starts from, with the digest it resolved to (for this platform).</summary>
    public IReadOnlyList<(string Reference, string Digest)> Images { get; init; } = [];

    /// <summary>The platform.</summary>
    public required Platform Platform { get; init; }

    /// <summary>The MultiArch version that builds it (a new release may build differently).</summary>
    public required string ToolVersion { get; init; }
}

/// <summary>
/// The input digest: a SHA-256 over a canonical text of <see cref="StageInputs"/>, carried by each per-arch image as
/// the <see cref="Label"/> label. Equal digests mean the same Dockerfile, context, arguments, base images, platform
/// and tool built it, so building again would only repeat it (up to what RUN steps fetch from the network).
/// </summary>
public static class InputDigest
{
    /// <summary>The label that carries it.</summary>
    public const string Label = "io.multiarch.input-digest";

    /// <summary>The digest of one stage's inputs, as <c>sha256:&lt;hex&gt;</c>.</summary>
    public static Digest Compute(StageInputs inputs)
    {
        // Length-prefixed fields: no value can forge another field's boundary (a build argument holding a newline).
        var text = new StringBuilder("multiarch-input-digest/v1\n");
        void Field(string name, string value) => text.Append(name).Append(' ').Append(value.Length).Append(':').Append(value).Append('\n');
        Field("platform", inputs.Platform.ToString());
        Field("tool", inputs.ToolVersion);
        Field("dockerfile", Convert.ToHexStringLower(SHA256.HashData(inputs.Dockerfile.Span)));
        Field("target", inputs.TargetStage ?? "");
        foreach (var (name, value) in inputs.BuildArgs.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            Field("arg", name);
            Field("=", value);
        }
        foreach (var (name, value) in inputs.Labels.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            Field("label", name);
            Field("=", value);
        }
        // In Dockerfile order: swapping two FROMs is a different build.
        foreach (var (reference, digest) in inputs.Images) { Field("from", reference); Field("@", digest); }
        foreach (var file in inputs.Context.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            Field("file", file.Path);
            Field("mode", Convert.ToString((int)file.Mode, 8));
            Field("sha256", file.Sha256);
        }
        return Digest.Compute(Encoding.UTF8.GetBytes(text.ToString()));
    }
}
