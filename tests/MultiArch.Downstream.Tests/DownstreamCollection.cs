namespace MultiArch.Downstream.Tests;

/// <summary>Every downstream test shares one pack and one copy of the sample (packing is the slow part).</summary>
[CollectionDefinition(Name)]
public sealed class DownstreamCollection : ICollectionFixture<DownstreamSample>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Downstream sample";
}
