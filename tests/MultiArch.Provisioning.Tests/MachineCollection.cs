namespace MultiArch.Provisioning.Tests;

/// <summary>Tests that change dpkg's architectures or read apt's lists run one at a time: they share the machine.</summary>
[CollectionDefinition(Name)]
public sealed class MachineCollection
{
    public const string Name = "machine";
}
