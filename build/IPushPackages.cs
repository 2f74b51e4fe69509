using MultiArch.Build;

/// <summary>
/// PushPackages: the packages Pack wrote, pushed to a NuGet feed. A component of its own so that its secret,
/// NUGET_API_KEY, reaches only the workflow job that pushes (a job gets the [Secret] parameters of the components
/// whose targets it runs), not the test job.
/// </summary>
interface IPushPackages : IBuild
{
    /// <summary>The folder Pack fills (Pack runs first: it is DependentFor this component).</summary>
    AbsolutePath PackagesDirectory { get; }

    [Parameter("NuGet feed PushPackages pushes to: its v3 service index (default nuget.org; GitHub Packages: "
        + "https://nuget.pkg.github.com/OWNER/index.json)")]
    string NugetSource => TryGetValue(() => NugetSource) ?? "https://api.nuget.org/v3/index.json";

    [Parameter("API key for --nuget-source (nuget.org: a key with push scope; GitHub Packages: a token with write:packages)"), Secret]
    string? NugetApiKey => TryGetValue(() => NugetApiKey);

    Target PushPackages => _ => _
        .Description("Pushes the packages Pack wrote to --nuget-source with MULTIARCH_NUGET_API_KEY (sent as a "
            + "header, never on a command line)")
        .Executes(async () =>
        {
            if (string.IsNullOrEmpty(NugetApiKey))
                throw new BuildException("PushPackages needs an API key: set MULTIARCH_NUGET_API_KEY (in Actions: env "
                    + "MULTIARCH_NUGET_API_KEY: ${{ secrets.NUGET_API_KEY }}).");
            var packages = Directory.GetFiles(PackagesDirectory, "*.nupkg").Order().ToList();
            if (packages.Count == 0) throw new BuildException($"PushPackages found no .nupkg in {PackagesDirectory}; run Pack first.");
            using var feed = new NuGetPush(NugetSource, NugetApiKey);
            foreach (var package in packages)
                Build.Log.Info($"{Path.GetFileName(package)}: {await feed.PushAsync(package, Build.Cancellation)}");
        });
}
