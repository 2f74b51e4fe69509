using MultiArch.Build;
using MultiArch.Docker;
using MultiArch.Provisioning;
using MultiArch.Workflows;

namespace MultiArch.Components;

/// <summary>
/// LocalServices: before any lane starts, checks once that this machine has what the run needs (the Docker engine,
/// QEMU for each platform the engine cannot run natively (found by running it there), the loopback registry when it is
/// the target) and sets up what is missing: as root on Debian or Ubuntu it installs the packages and starts the daemons.
/// Otherwise, or with
/// <c>--no-provision</c>, it installs nothing and fails in one line with the command that would.
/// CI runners bring their own engine, so the generated workflows never run it as a step of its own.
/// </summary>
public interface ILocalServices : IMultiArchPipeline
{
    /// <summary>Check only: install and start nothing.</summary>
    [Parameter("Check the local services (Docker engine, QEMU, registry) but install and start nothing; what is "
        + "missing fails the run in one line")]
    bool NoProvision => TryGetValue<bool?>(() => NoProvision) ?? false;

    /// <summary>The target.</summary>
    Target LocalServices => _ => _
        .Description("Sets up what a local run needs: Docker engine, QEMU for each platform the engine cannot run natively, the local "
            + "registry (installs only what is missing; root on Debian/Ubuntu)")
        .Annotate(WorkflowAnnotations.LocalOnly, "true")
        .Executes(async () =>
        {
            // A lane whose per-arch tag provably holds this build's inputs needs no engine: planned first (registry
            // reads only), so ServiceSteps leaves its platform out, and a run where every lane is unchanged starts none.
            if (Build is IBuildBase lanes && Build.Planned.Any(t => t.Annotations.ContainsKey(PipelineAnnotations.BuildsImages)))
                await lanes.PlanUnchangedLanesAsync();
            await ProvisionAsync(nameof(LocalServices), ServiceSteps.Concat(AdditionalServices));
        });

    /// <summary>
    /// What the pipeline needs, in order: dockerd, binfmt for foreign platforms, and the registry when it is the
    /// loopback default. Each installs its Debian package only when it must provide what is missing. The engine is
    /// set up for the platforms of lanes that may build: those already planned unchanged are left out, and when
    /// every lane is, dockerd and binfmt are not checked at all (unless one of <see cref="AdditionalServices"/> needs them).
    /// </summary>
    IEnumerable<ProvisioningStep> ServiceSteps
    {
        get
        {
            var context = PipelineContext.Of(Build);
            var lanes = SelectedImages.SelectMany(image => PlatformsOf(image).Select(platform => (image, platform))).ToList();
            var platforms = lanes.Where(l => !context.KnownUnchanged(l.image.Name, l.platform)).Select(l => l.platform).Distinct().ToList();
            List<ProvisioningStep> steps;
            if (lanes.Count > 0 && platforms.Count == 0 && !AdditionalServices.Any(s => s.Needs.Contains("dockerd")
                || s.Needs.Contains("binfmt")))
                steps = [new NotNeeded("dockerd"), new NotNeeded("binfmt")];
            else
            {
                // The engine the pipeline will use, resolved as the docker CLI does (DOCKER_HOST, DOCKER_CONTEXT, currentContext).
                var endpoint = DockerEndpoint.Resolve(Build.Environment);
                steps = [new DockerDaemon(endpoint), new QemuBinfmt(platforms, endpoint)];
            }
            if (SelectedImages.Any(i => RegistryHost(i) == LocalRegistry.DefaultHost)) steps.Add(new LoopbackRegistry());
            return steps;
        }
    }

    /// <summary>More steps of the build's own (a base image, tools its targets call), run after <see cref="ServiceSteps"/>.</summary>
    IEnumerable<ProvisioningStep> AdditionalServices => [];

    /// <summary>A step this run can do without: every lane is unchanged since its per-arch tag, so nothing is built.</summary>
    private sealed class NotNeeded(string name) : ProvisioningStep
    {
        public override string Name => name;
        public override bool NeedsRoot => false;
        public override Task<StepCheck> CheckAsync(ProvisioningContext context, CancellationToken cancellationToken) =>
            Task.FromResult(StepCheck.Ok("not needed: every lane is unchanged since its per-arch tag, so nothing is built"));
        public override Task<string> ProvideAsync(ProvisioningContext context, StepCheck missing, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a step that is not needed is never missing");
    }

    /// <summary>Runs steps under this run's policy; anything missing becomes one BuildException line with the fix.</summary>
    sealed async Task ProvisionAsync(string target, IEnumerable<ProvisioningStep> steps)
    {
        var policy = ProvisioningPolicy.ForThisMachine(!NoProvision, $"sudo ./build.sh {target}");
        var context = new ProvisioningContext(policy, Build.Log.Info) { Withheld = PipelineContext.Of(Build).Withheld };
        try { await Provisioner.RunAsync(steps, context, Build.Cancellation); }
        catch (ProvisioningException e) { throw new BuildException(e.Message); }
    }
}
