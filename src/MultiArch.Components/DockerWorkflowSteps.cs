using MultiArch.Workflows;

namespace MultiArch.Components;

/// <summary>
/// What a generated job needs around <c>./build.sh</c> to build and push images: Docker with the containerd image
/// store where an app starts FROM a base built in the same job, buildx, QEMU only for the emulators a leg needs, a registry
/// login and <c>packages: write</c> only where the job publishes. The generator itself knows none of this.
/// </summary>
public sealed class DockerWorkflowSteps : IJobContributor
{
    /// <summary>The shared instance.</summary>
    public static DockerWorkflowSteps Instance { get; } = new();

    /// <summary>The id of the step that asks the runner's kernel whether it runs 32-bit arm natively.</summary>
    public const string AArch32ProbeId = "aarch32";

    // arm64 Linux refuses personality(PER_LINUX32) with EINVAL when the CPU has no AArch32 at EL0
    // (arch/arm64/kernel/sys.c, arm64_personality: "!system_supports_32bit_el0() return -EINVAL"), so setarch fails there.
    internal const string AArch32Probe = """
        if setarch linux32 true 2>/dev/null; then
          echo "native=true" >> "$GITHUB_OUTPUT"
        else
          echo "::notice::This runner's CPU has no AArch32 at EL0; ${PLATFORM} runs under QEMU."
          echo "native=false" >> "$GITHUB_OUTPUT"
        fi
        """;

    /// <inheritdoc />
    public void Contribute(JobContext job)
    {
        if (job.HasAnnotation(PipelineAnnotations.BuildsImages))
        {
            // BuildKit attestations would add unknown/unknown manifests next to every image; the pipeline wants none.
            job.Job.Env["BUILDX_NO_DEFAULT_ATTESTATIONS"] = "1";
            AddQemu(job);
            if (job.HasAnnotation(PipelineAnnotations.BuildsBaseImage))
            {
                // The containerd image store lets the app's FROM see the base image that was only loaded locally.
                // set-host exports DOCKER_HOST for the new daemon: without it only the CLI context switches and anything
                // reading DOCKER_HOST or /var/run/docker.sock (the engine probe) talks to the runner's stock daemon.
                job.SetupSteps.Add(new Step
                {
                    Name = "Set up Docker (containerd image store)",
                    Uses = ActionVersions.SetupDocker.Reference,
                    With = { ["daemon-config"] = "{\"features\":{\"containerd-snapshotter\":true}}", ["set-host"] = "true" },
                });
                job.SetupSteps.Add(new Step { Name = "Set up Buildx (docker driver)", Uses = ActionVersions.SetupBuildx.Reference,
                    With = { ["driver"] = "docker" } });
            }
            else job.SetupSteps.Add(new Step { Name = "Set up Buildx", Uses = ActionVersions.SetupBuildx.Reference });
            AddLayerCache(job);
        }

        var registry = job.HasAnnotation(PipelineAnnotations.UsesRegistry) || job.HasAnnotation(PipelineAnnotations.DeletesPackages);
        if (!job.Publishes || !registry) return;
        job.Job.Permissions ??= Permissions.ContentsRead();
        job.Job.Permissions.Write("packages");
        // Deleting package versions goes through the REST API with the token; only registry traffic needs docker login.
        if (job.Definition.RegistryLogin is not { } first || !job.HasAnnotation(PipelineAnnotations.UsesRegistry)) return;
        // One login per registry, each with its own secrets; the mirrors only where the index is mirrored.
        foreach (var login in job.HasAnnotation(PipelineAnnotations.MirrorsIndex) ? [first, .. first.Mirrors] : new[] { first })
            job.SetupSteps.Add(new Step
            {
                Name = $"Log in to {login.Registry}",
                If = job.PublishCondition,
                Uses = ActionVersions.Login.Reference,
                With = { ["registry"] = login.Registry, ["username"] = login.Username, ["password"] = login.PasswordExpression },
            });
    }

    // Layer cache per leg in the GitHub Actions cache (--cache gha, scope <image>-<pair>). buildx reads ACTIONS_RUNTIME_TOKEN
    // and the cache URLs from its environment, but the runner gives those to JavaScript actions only, so this action
    // exports them to the later run: steps. It prints their values as it does so (src/github.ts at v4.0.0): the job log
    // relies on the runner masking the runtime token, as it does the job's other tokens; the build masks it in its own log.
    static void AddLayerCache(JobContext job)
    {
        job.Job.Env["MULTIARCH_CACHE"] = "gha";
        job.SetupSteps.Add(new Step { Name = "Expose the Actions runtime to run steps (layer cache)",
            Uses = ActionVersions.GitHubRuntime.Reference });
    }

    // QEMU only for the emulators a leg needs: emulated legs always, a 32-bit arm leg on the arm64 runner only when the
    // kernel says it cannot run AArch32 itself. Native legs get no QEMU step at all.
    static void AddQemu(JobContext job)
    {
        // A 32-bit arm leg on the arm64 runner: native when its CPU runs AArch32, which only the runner can tell.
        var mayRunNatively = job.Legs.Any(l => l.Keys.ContainsKey("qemu_unless_native"));
        if (!job.AnyLegEmulated && !mayRunNatively) return;
        var condition = "matrix.qemu";
        var platforms = "${{ matrix.qemu }}";
        if (mayRunNatively)
        {
            job.SetupSteps.Add(new Step
            {
                Name = "Probe AArch32 (32-bit arm natively on this runner?)",
                Id = AArch32ProbeId,
                If = "matrix.qemu_unless_native",
                Env = { ["PLATFORM"] = "${{ matrix.platform }}" },
                Run = AArch32Probe,
            });
            condition = $"matrix.qemu || (matrix.qemu_unless_native && steps.{AArch32ProbeId}.outputs.native != 'true')";
            platforms = job.AnyLegEmulated ? "${{ matrix.qemu || matrix.qemu_unless_native }}" : "${{ matrix.qemu_unless_native }}";
        }
        job.SetupSteps.Add(new Step { Name = "Set up QEMU", If = condition, Uses = ActionVersions.SetupQemu.Reference,
            With = { ["platforms"] = platforms } });
    }
}
