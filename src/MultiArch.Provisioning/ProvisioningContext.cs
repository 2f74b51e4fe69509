namespace MultiArch.Provisioning;

/// <summary>What the steps of one run share: the policy, one <see cref="Apt"/> (so lists are read once) and the log.</summary>
public sealed class ProvisioningContext(ProvisioningPolicy policy, Action<string> log)
{
    /// <summary>Whether and where this run may provision.</summary>
    public ProvisioningPolicy Policy { get; } = policy;

    /// <summary>apt-get, shared by the steps.</summary>
    public Apt Apt { get; } = new();

    /// <summary>Where steps write a line (the build log, so secrets stay masked).</summary>
    public Action<string> Log { get; } = log;

    /// <summary>
    /// Environment variables a daemon a step starts (dockerd, the registry) must not inherit: the build's secrets.
    /// A daemon outlives the build, and its environment stays readable in /proc/PID/environ.
    /// </summary>
    public IReadOnlyCollection<string> Withheld { get; init; } = [];

    /// <summary>
    /// <see cref="Withheld"/> as an environment for <see cref="HostCommand.RunAsync"/> (a null value removes a
    /// variable).
    /// </summary>
    public IReadOnlyDictionary<string, string?> WithoutSecrets => Withheld.ToDictionary(name => name, _ => (string?)null);
}
