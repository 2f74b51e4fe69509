namespace MultiArch.Ghcr.Tests;

/// <summary>One version in the fake's state.</summary>
/// <param name="Id">The version id.</param>
/// <param name="Digest">The manifest digest (the version's name).</param>
/// <param name="CreatedAt">When it was "pushed".</param>
/// <param name="Tags">Its tags.</param>
public sealed record FakePackageVersion(long Id, string Digest, DateTimeOffset CreatedAt, IReadOnlyList<string> Tags);
