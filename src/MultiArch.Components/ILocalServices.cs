using MultiArch.Build;
using MultiArch.Docker;
using MultiArch.Provisioning;
using MultiArch.Workflows;

namespace MultiArch.Components;

/// <summary>
/// LocalServices: before any lane starts, checks once that this machine has what the run needs (the Docker engine,
/// QEMU for each platform the engine cannot run natively (found by running it there), the loopback registry when it is the target) and sets up what is missing: as
/// root on Debian or Ubuntu it installs the packages and starts the daemons. Otherwise, or with
/// <c>--no-provision</c>, it installs nothing and fails in one line with the command that would.
/// CI runners bring their own engine, so the generated workflows never run it as a step of its own.
/// </summary>
public interface ILocalServices : IMultiArchPipeline
{
    /// <summary>Check only: install and start nothing.</summary>
    [Parameter("Check the local services (Docker engine, QEMU, registry) but install and start nothing; what is missing fails the run in one line")]
    bool NoProvision => TryGetValue<bool?>(() => NoProvision) ?? false;

    /// <summary>The target.</summary>
    Target LocalServices => _ => _
        .Description("Sets up what a local run needs: Docker engine, QEMU for each platform the engine cannot run natively, the local registry (installs only what is missing; root on Debian/Ubuntu)")
        .Annotate(WorkflowAnnotations.LocalOnly, "true")
        .Executes(() => ProvisionAsync(nameof(LocalServices), ServiceSteps.Concat(AdditionalServices)));

    /// <summary>What the pipeline needs, in order: dockerd, binfmt for foreign platforms, and the registry when it is the loopback default. Each installs its Debian package only when it must provide what is missing.</summary>
    IEnumerable<ProvisioningStep> ServiceSteps
    {
        get
        {
            var platforms = SelectedImages.SelectMany(PlatformsOf).Distinct().ToList();
            // The engine the pipeline will use, resolved as the docker CLI does (DOCKER_HOST, DOCKER_CONTEXT, currentContext).
            var endpoint = DockerEndpoint.Resolve(Build.Environment);
            List<ProvisioningStep> steps = [new DockerDaemon(endpoint), new QemuBinfmt(platforms, endpoint)];
            if (SelectedImages.Any(i => RegistryHost(i) == LocalRegistry.DefaultHost)) steps.Add(new LoopbackRegistry());
            return steps;
        }
    }

    /// <summary>More steps of the build's own (a base image, tools its targets call), run after <see cref="ServiceSteps"/>.</summary>
    IEnumerable<ProvisioningStep> AdditionalServices => [];

    /// <summary>Runs steps under this run's policy; anything missing becomes one BuildException line with the fix.</summary>
    sealed async Task ProvisionAsync(string target, IEnumerable<ProvisioningStep> steps)
    {
        var policy = ProvisioningPolicy.ForThisMachine(!NoProvision, $"sudo ./build.sh {target}");
        try { await Provisioner.RunAsync(steps, new ProvisioningContext(policy, Build.Log.Info) { Withheld = PipelineContext.Of(Build).Withheld }, Build.Cancellation); }
        catch (ProvisioningException e) { throw new BuildException(e.Message); }
    }
}
