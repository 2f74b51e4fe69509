namespace MultiArch.Workflows;

/// <summary>
/// Target annotation keys (<c>.Annotate(key, value)</c>) the generator reads. Components set them; the generator
/// never needs to know what a target does inside.
/// </summary>
public static class WorkflowAnnotations
{
    /// <summary><c>"true"</c>: the target publishes (pushes, merges, deletes). Pull requests stop before the first such target.</summary>
    public const string Publishes = "workflows.publishes";

    /// <summary>Comma-separated names the target writes to <c>$GITHUB_OUTPUT</c> (e.g. <c>version</c>); they become job outputs and reach
    /// later jobs through <c>env:</c>.</summary>
    public const string Outputs = "workflows.outputs";

    /// <summary>The id of the job this target runs in (e.g. <c>build</c>, <c>merge</c>); otherwise the last target's name in kebab
    /// case.</summary>
    public const string Job = "workflows.job";

    /// <summary><c>"true"</c>: the target sets up the local machine (a runner brings its own); no workflow runs it as a step of its
    /// own.</summary>
    public const string LocalOnly = "workflows.local-only";

    /// <summary>
    /// Comma-separated names of the <c>[Secret]</c> parameters the target reads, when they are not declared by its own
    /// component (otherwise they are found there). <c>""</c> says it reads none. Only jobs running such a target get them.
    /// </summary>
    public const string Secrets = "workflows.secrets";

    /// <summary><c>"true"</c>: a job of only such targets may fail without failing the run (e.g. cleanup after a publish).</summary>
    public const string ContinueOnError = "workflows.continue-on-error";
}
