namespace MultiArch.Workflows.Tests;

/// <summary>
/// What a registry component contributes, as the lead's Docker components will: QEMU on emulated legs, a login
/// and <c>packages: write</c> only where a job publishes, guarded for pull requests.
/// </summary>
public sealed class RegistrySteps : IJobContributor
{
    public void Contribute(JobContext job)
    {
        if (job.AnyLegEmulated)
            job.SetupSteps.Add(new Step { Name = "Set up QEMU", If = "matrix.qemu", Uses = ActionVersions.SetupQemu.Reference,
                With = { ["platforms"] = "${{ matrix.qemu }}" } });
        if (!job.Publishes || job.Definition.RegistryLogin is not { } login) return;
        job.Job.Permissions!.Write("packages");
        job.SetupSteps.Add(new Step
        {
            Name = "Log in to " + login.Registry,
            If = job.PublishCondition,
            Uses = ActionVersions.Login.Reference,
            With = { ["registry"] = login.Registry, ["username"] = login.Username, ["password"] = login.PasswordExpression },
        });
    }
}
