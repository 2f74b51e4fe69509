namespace MultiArch.Workflows;

/// <summary>The two generic contributors every job starts with, and an adapter for lambdas.</summary>
public static class JobContributors
{
    /// <summary><c>actions/checkout</c> without persisted credentials (the build never pushes to git).</summary>
    public static IJobContributor Checkout { get; } = From(_ =>
    [
        new Step { Name = "Check out", Uses = ActionVersions.Checkout.Reference, With = { ["persist-credentials"] = "false" } },
    ]);

    /// <summary><c>actions/setup-dotnet</c> reading the SDK version from <c>global.json</c>.</summary>
    public static IJobContributor SetupDotNet { get; } = From(_ =>
    [
        new Step { Name = "Set up .NET", Uses = ActionVersions.SetupDotNet.Reference, With = { ["global-json-file"] = "global.json" } },
    ]);

    /// <summary>A contributor that adds the returned steps to the job's setup steps.</summary>
    public static IJobContributor From(Func<JobContext, IEnumerable<Step>> steps) => new Lambda(steps);

    sealed class Lambda(Func<JobContext, IEnumerable<Step>> steps) : IJobContributor
    {
        public void Contribute(JobContext job) => job.SetupSteps.AddRange(steps(job));
    }
}
