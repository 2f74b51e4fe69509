namespace MultiArch.Ghcr;

/// <summary>One container package version as the REST API lists it: its name is the manifest digest.</summary>
/// <param name="Id">The version id (a <c>long</c>; the delete route takes an <c>int</c>).</param>
/// <param name="Digest">The manifest digest.</param>
/// <param name="CreatedAt">When it was pushed.</param>
/// <param name="Tags">Its tags (<c>metadata.container.tags</c>); empty when untagged.</param>
internal sealed record ListedVersion(long Id, string Digest, DateTimeOffset CreatedAt, IReadOnlyList<string> Tags)
{
    /// <summary>True when the version carries no tag.</summary>
    public bool IsUntagged => Tags.Count == 0;
}
