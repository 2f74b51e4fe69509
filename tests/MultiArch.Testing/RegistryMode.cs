namespace MultiArch.Testing;

/// <summary>How a test registry authenticates.</summary>
public enum RegistryMode
{
    /// <summary>No authentication.</summary>
    Open,

    /// <summary>Basic authentication from an htpasswd file.</summary>
    Htpasswd,

    /// <summary>Bearer tokens from a <see cref="TokenIssuer"/> the registry trusts.</summary>
    Token,
}
