namespace MultiArch.Workflows;

/// <summary>How a workflow treats targets annotated <see cref="WorkflowAnnotations.Publishes"/>, decided by its triggers.</summary>
public enum PublishMode
{
    /// <summary>No pull_request trigger: every run publishes.</summary>
    Always,
    /// <summary>pull_request plus other triggers: publishing jobs and steps carry <c>if: github.event_name != 'pull_request'</c>.</summary>
    ExceptPullRequests,
    /// <summary>Only pull_request: publishing targets are left out of the workflow entirely.</summary>
    Never,
}
