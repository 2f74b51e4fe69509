namespace MultiArch.Oci.Tagging;

/// <summary>metadata-action's <c>latest=</c> flavor.</summary>
public enum LatestMode
{
    /// <summary>
    /// <c>latest</c> when the first tag given is a release's (a semver release, a git tag), as metadata-action
    /// decides it.
    /// </summary>
    Auto,
    /// <summary>Always <c>latest</c>, whenever any rule gives a tag.</summary>
    True,
    /// <summary>Never <c>latest</c> from the flavor (a <see cref="TagRule.Raw"/> rule may still give it).</summary>
    False,
}

/// <summary>metadata-action's <c>flavor</c> input: the <c>latest</c> mode and a prefix and suffix for every rule that sets none.</summary>
public sealed record TagFlavor
{
    /// <summary><c>latest=auto|true|false</c>.</summary>
    public LatestMode Latest { get; init; } = LatestMode.Auto;

    /// <summary>Put before each tag whose rule sets no prefix; global expressions allowed.</summary>
    public string Prefix { get; init; } = "";

    /// <summary>Put after each tag whose rule sets no suffix; global expressions allowed.</summary>
    public string Suffix { get; init; } = "";

    /// <summary><c>prefix=...,onlatest=true</c>: <c>latest</c> gets the prefix too.</summary>
    public bool PrefixLatest { get; init; }

    /// <summary><c>suffix=...,onlatest=true</c>: <c>latest</c> gets the suffix too.</summary>
    public bool SuffixLatest { get; init; }

    /// <summary>
    /// Lowercase every tag. metadata-action lowercases image names only and keeps a tag's case (<c>Feature/X</c> gives
    /// <c>Feature-X</c>); this is for registries or conventions that want lowercase tags too.
    /// </summary>
    public bool Lowercase { get; init; }
}
