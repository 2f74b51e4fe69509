namespace MultiArch.Hardening.Tests;

/// <summary>
/// Every hardening test class joins this collection: they run one after another (the fault figures are not skewed
/// by each other) and, when the last is done, the fixture writes artifacts/reliability.md from the ledger.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ReliabilityCollection : ICollectionFixture<ReliabilityReport>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Reliability";
}
