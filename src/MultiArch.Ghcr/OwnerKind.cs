namespace MultiArch.Ghcr;

/// <summary>Who owns a GHCR package: the REST routes differ (<c>/orgs/…</c> or <c>/users/…</c>).</summary>
public enum OwnerKind
{
    /// <summary>Ask GitHub (<c>GET /users/{owner}</c>, field <c>type</c>).</summary>
    Detect,

    /// <summary>An organization: <c>/orgs/{owner}/packages/…</c>.</summary>
    Organization,

    /// <summary>A personal account: <c>/users/{owner}/packages/…</c>.</summary>
    User,
}
