namespace MultiArch.Provisioning;

/// <summary>A folder's npm dependencies are installed from its lock file (<c>npm ci</c>), with Node.js 20 or later.</summary>
/// <param name="directory">The folder holding package.json and package-lock.json.</param>
/// <param name="probe">A path under node_modules whose presence means installed, e.g. <c>@actions/workflow-parser</c>.</param>
public sealed class NpmPackages(string directory, string probe) : ProvisioningStep
{
    /// <inheritdoc/>
    public override string Name => "npm packages";

    /// <inheritdoc/>
    public override bool NeedsRoot => false;

    /// <inheritdoc/>
    public override async Task<StepCheck> CheckAsync(ProvisioningContext context, CancellationToken cancellationToken)
    {
        if (!HostCommand.OnPath("node") || !HostCommand.OnPath("npm")) return StepCheck.Lacks("Node.js 20 or later with npm " +
            "(apt-get install nodejs npm)");
        var version = (await HostCommand.RunAsync("node", ["-p", "process.versions.node"], cancellationToken: cancellationToken)).Trim();
        if (!int.TryParse(version.Split('.')[0], out var major) || major < 20)
            throw new ProvisioningException($"node {version} is too old: {Path.GetFileName(directory)} needs Node.js 20 or later.");
        var installed = Path.Combine(directory, "node_modules", probe);
        return Directory.Exists(installed)
            ? StepCheck.Ok($"{probe} present in {directory} (node {version})")
            : StepCheck.Lacks($"{probe} in {Path.Combine(directory, "node_modules")}");
    }

    /// <inheritdoc/>
    public override async Task<string> ProvideAsync(ProvisioningContext context, StepCheck missing, CancellationToken cancellationToken)
    {
        await HostCommand.RunAsync("npm", ["ci", "--prefix", directory, "--no-audit", "--no-fund"], cancellationToken: cancellationToken);
        return $"installed with npm ci in {directory}";
    }
}
