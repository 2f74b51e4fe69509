namespace MultiArch.Oci.Mirroring;

/// <summary>One extra place to publish an image: a registry (its client carries that registry's credentials) and a repository.</summary>
/// <param name="Client">A client for the mirror's registry.</param>
/// <param name="Repository">The repository there, e.g. <c>acme/app</c>.</param>
public sealed record MirrorTarget(RegistryClient Client, string Repository)
{
    /// <summary>The target as <c>registry/repository</c>.</summary>
    public override string ToString() => $"{Client.Registry}/{Repository}";
}
