using MultiArch.Workflows;

namespace MultiArch.Components;

/// <summary>
/// What a generated job needs around <c>./build.sh</c> to build and push images: Docker with the containerd image
/// store where an app starts FROM a base built in the same job, buildx, QEMU only on emulated legs, a registry
/// login and <c>packages: write</c> only where the job publishes. The generator itself knows none of this.
/// </summary>
public sealed class DockerWorkflowSteps : IJobContributor
{
    /// <summary>The shared instance.</summary>
    public static DockerWorkflowSteps Instance { get; } = new();

    /// <inheritdoc />
    public void Contribute(JobContext job)
    {
        if (job.HasAnnotation(PipelineAnnotations.BuildsImages))
        {
            // BuildKit attestations would add unknown/unknown manifests next to every image; the pipeline wants none.
            job.Job.Env["BUILDX_NO_DEFAULT_ATTESTATIONS"] = "1";
            if (job.AnyLegEmulated)
                job.SetupSteps.Add(new Step { Name = "Set up QEMU", If = "matrix.emulated", Uses = "docker/setup-qemu-action@v3" });
            if (job.HasAnnotation(PipelineAnnotations.BuildsBaseImage))
            {
                // The containerd image store lets the app's FROM see the base image that was only loaded locally.
                job.SetupSteps.Add(new Step
                {
                    Name = "Set up Docker (containerd image store)",
                    Uses = "docker/setup-docker-action@v4",
                    With = { ["daemon-config"] = "{\"features\":{\"containerd-snapshotter\":true}}" },
                });
                job.SetupSteps.Add(new Step { Name = "Set up Buildx (docker driver)", Uses = "docker/setup-buildx-action@v3", With = { ["driver"] = "docker" } });
            }
            else job.SetupSteps.Add(new Step { Name = "Set up Buildx", Uses = "docker/setup-buildx-action@v3" });
        }

        var registry = job.HasAnnotation(PipelineAnnotations.UsesRegistry) || job.HasAnnotation(PipelineAnnotations.DeletesPackages);
        if (!job.Publishes || !registry) return;
        job.Job.Permissions ??= Permissions.ContentsRead();
        job.Job.Permissions.Write("packages");
        if (job.Definition.RegistryLogin is { } login)
            job.SetupSteps.Add(new Step
            {
                Name = $"Log in to {login.Registry}",
                If = job.PublishCondition,
                Uses = "docker/login-action@v3",
                With = { ["registry"] = login.Registry, ["username"] = login.Username, ["password"] = login.PasswordExpression },
            });
    }
}
