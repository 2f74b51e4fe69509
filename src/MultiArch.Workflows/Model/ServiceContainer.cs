namespace MultiArch.Workflows;

/// <summary>
/// One entry of a job's <c>services:</c>: a container the runner starts before the first step and removes after the
/// last. An <see cref="Image"/> that evaluates to an empty string starts nothing, which makes a service conditional
/// (docs.github.com, "Workflow syntax for GitHub Actions", <c>jobs.&lt;job_id&gt;.services.&lt;service_id&gt;.image</c>).
/// </summary>
public sealed class ServiceContainer
{
    /// <summary>
    /// The image, or an expression such as <c>${{ github.event_name == 'pull_request' &amp;&amp; 'registry:3' || '' }}</c>.
    /// </summary>
    public required string Image { get; set; }

    /// <summary>Container ports; <c>5000/tcp</c> maps to a free host port, read as <c>job.services.&lt;id&gt;.ports['5000']</c>.</summary>
    public List<string> Ports { get; } = [];
}
