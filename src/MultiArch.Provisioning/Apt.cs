namespace MultiArch.Provisioning;

/// <summary>
/// apt-get for the steps of one run. Package lists are read once per set of architectures: adding a foreign
/// architecture (for an arm64 .deb, say) makes the lists stale, so the next use reads them again.
/// </summary>
public sealed class Apt
{
    readonly SemaphoreSlim _gate = new(1, 1);
    string? _listsReadFor;

    static readonly Dictionary<string, string?> Environment = new() { ["DEBIAN_FRONTEND"] = "noninteractive" };

    /// <summary>How many times the package lists were read (apt-get update) by this instance.</summary>
    public int UpdateCount { get; private set; }

    /// <summary>The architectures dpkg installs: the native one, then the foreign ones added.</summary>
    public static async Task<IReadOnlyList<string>> ArchitecturesAsync(CancellationToken cancellationToken)
    {
        var native = (await HostCommand.RunAsync("dpkg", ["--print-architecture"], cancellationToken: cancellationToken)).Trim();
        var foreign = (await HostCommand.RunAsync("dpkg", ["--print-foreign-architectures"], cancellationToken: cancellationToken))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return [native, .. foreign];
    }

    /// <summary>True when the package (e.g. <c>skopeo</c>, or <c>busybox-static:arm64</c>) is installed.</summary>
    public static async Task<bool> IsInstalledAsync(string package, CancellationToken cancellationToken)
    {
        try
        {
            var status = await HostCommand.RunAsync("dpkg-query", ["-W", "-f=${Status}", package], cancellationToken: cancellationToken);
            return status.Trim() == "install ok installed";
        }
        catch (ProvisioningException) { return false; } // dpkg-query exits 1 for a package it has never seen
    }

    /// <summary>Adds a foreign architecture to dpkg when it is missing (the lists are then read again on next use).</summary>
    public static async Task<bool> AddArchitectureAsync(string architecture, CancellationToken cancellationToken)
    {
        if ((await ArchitecturesAsync(cancellationToken)).Contains(architecture)) return false;
        await HostCommand.RunAsync("dpkg", ["--add-architecture", architecture], cancellationToken: cancellationToken);
        return true;
    }

    /// <summary>Reads the package lists unless they were read for exactly today's architectures.</summary>
    public async Task UpdateAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var architectures = string.Join(' ', await ArchitecturesAsync(cancellationToken));
            if (_listsReadFor == architectures) return;
            // A mirror mid-sync fails one index now and then; a second try usually gets it, and the lists that did
            // arrive are still usable, so a failed second try is left to the install to report.
            for (var attempt = 1; ; attempt++)
            {
                try { await HostCommand.RunAsync("apt-get", ["update", "-q"], Environment, cancellationToken: cancellationToken); break; }
                catch (ProvisioningException) when (attempt < 2) { await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken); }
                catch (ProvisioningException) { break; }
            }
            UpdateCount++;
            _listsReadFor = architectures;
        }
        finally { _gate.Release(); }
    }

    /// <summary>Installs packages (lists read first), without recommends.</summary>
    public async Task InstallAsync(IEnumerable<string> packages, CancellationToken cancellationToken)
    {
        await UpdateAsync(cancellationToken);
        await HostCommand.RunAsync("apt-get", ["install", "-y", "-q", "--no-install-recommends", .. packages], Environment,
            cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Downloads .deb files (e.g. <c>busybox-static:arm64</c>) into <paramref name="directory"/> and returns
    /// their paths.
    /// </summary>
    public async Task<IReadOnlyList<string>> DownloadAsync(IEnumerable<string> packages, string directory,
        CancellationToken cancellationToken)
    {
        await UpdateAsync(cancellationToken);
        Directory.CreateDirectory(directory);
        var before = Directory.GetFiles(directory, "*.deb").ToHashSet();
        await HostCommand.RunAsync("apt-get", ["download", "-q", .. packages], Environment, directory, cancellationToken);
        return Directory.GetFiles(directory, "*.deb").Where(f => !before.Contains(f)).Order(StringComparer.Ordinal).ToList();
    }
}
