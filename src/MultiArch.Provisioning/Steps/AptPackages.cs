namespace MultiArch.Provisioning;

/// <summary>A Debian package, satisfied when installed or when <paramref name="Provides"/> already exists on the machine.</summary>
/// <param name="Name">The package, e.g. <c>docker.io</c>.</param>
/// <param name="Provides">A command on PATH or an absolute path that counts as having it (Node.js may come from elsewhere).</param>
public sealed record AptPackage(string Name, string? Provides = null);

/// <summary>Installs the Debian packages that are missing, in one apt-get call.</summary>
public sealed class AptPackages(string name, IReadOnlyList<AptPackage> packages) : ProvisioningStep
{
    /// <inheritdoc/>
    public override string Name => name;

    /// <summary>The packages.</summary>
    public IReadOnlyList<AptPackage> Packages => packages;

    /// <inheritdoc/>
    public override async Task<StepCheck> CheckAsync(ProvisioningContext context, CancellationToken cancellationToken)
    {
        var missing = await MissingAsync(cancellationToken);
        return missing.Count == 0
            ? StepCheck.Ok($"all present ({string.Join(", ", packages.Select(p => p.Name))})")
            : StepCheck.Lacks($"the packages {string.Join(", ", missing)}");
    }

    /// <inheritdoc/>
    public override async Task<string> ProvideAsync(ProvisioningContext context, StepCheck missing, CancellationToken cancellationToken)
    {
        var names = await MissingAsync(cancellationToken);
        await context.Apt.InstallAsync(names, cancellationToken);
        return $"installed {string.Join(", ", names)}";
    }

    async Task<List<string>> MissingAsync(CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        foreach (var package in packages)
        {
            if (package.Provides is { } provides && HostCommand.OnPath(provides)) continue;
            if (!OperatingSystem.IsLinux() || !HostCommand.OnPath("dpkg-query")
                || !await Apt.IsInstalledAsync(package.Name, cancellationToken))
                missing.Add(package.Name);
        }
        return missing;
    }
}
