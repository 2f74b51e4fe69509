namespace MultiArch.Workflows;

/// <summary>
/// Adds what a job needs around the build step (setup actions, logins, permissions, env), based on the job's
/// targets and annotations. Components own the knowledge (e.g. Docker); the generator only calls them in order.
/// </summary>
public interface IJobContributor
{
    /// <summary>Adds steps, permissions or env to <paramref name="job"/>.</summary>
    void Contribute(JobContext job);
}
