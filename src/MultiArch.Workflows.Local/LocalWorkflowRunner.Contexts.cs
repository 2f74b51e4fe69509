namespace MultiArch.Workflows.Local;

// The expression contexts (github, env, matrix, runner, needs, steps, inputs, secrets, job) a step or job sees.
public sealed partial class LocalWorkflowRunner
{
    WorkflowExpression Expression(Workflow workflow, Job job, Dictionary<string, object?> needs, IReadOnlyDictionary<string, string> env,
        string temp, Dictionary<string, object?> steps, Func<bool> failed, IReadOnlyDictionary<string, string>? matrix = null,
        string arch = "X64", string? workspace = null, Dictionary<string, object?>? services = null)
    {
        var inputs = workflow.On.WorkflowDispatch?.Inputs.ToDictionary(i => i.Key, i => (object?)(i.Value.Default ?? ""))
            ?? new Dictionary<string, object?>();
        foreach (var (k, v) in options.Inputs) inputs[k] = v;
        var contexts = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["github"] = new Dictionary<string, object?>
            {
                ["event_name"] = options.GitHub.EventName, ["repository"] = options.GitHub.Repository,
                ["repository_owner"] = options.GitHub.Repository.Split('/')[0], ["ref"] = options.GitHub.Ref,
                ["ref_name"] = options.GitHub.Ref.Split('/').Last(), ["sha"] = options.GitHub.Sha, ["actor"] = options.GitHub.Actor,
                ["run_id"] = options.GitHub.RunId, ["run_number"] = options.GitHub.RunId, ["workflow"] = workflow.Name,
                ["server_url"] = "https://github.com", ["event"] = options.GitHub.Event(),
                ["token"] = options.Secrets.GetValueOrDefault("GITHUB_TOKEN"),
            },
            ["env"] = env.ToDictionary(e => e.Key, e => (object?)e.Value),
            ["matrix"] = (matrix ?? new Dictionary<string, string>()).ToDictionary(e => e.Key, e => (object?)e.Value),
            ["strategy"] = new Dictionary<string, object?> { ["fail-fast"] = job.Strategy?.FailFast ?? true },
            ["runner"] = new Dictionary<string, object?> { ["temp"] = temp, ["os"] = "Linux", ["arch"] = arch, ["name"] = "local" },
            ["needs"] = needs,
            ["steps"] = steps,
            ["inputs"] = inputs,
            ["secrets"] = options.Secrets.ToDictionary(e => e.Key, e => (object?)e.Value),
            ["vars"] = new Dictionary<string, object?>(),
            ["job"] = new Dictionary<string, object?>
            {
                ["status"] = failed() ? "failure" : "success", ["services"] = services ?? new Dictionary<string, object?>(),
            },
        };
        return new WorkflowExpression(contexts, fn => fn switch
        {
            "success" => !failed(),
            "failure" => failed(),
            "always" => true,
            _ => false, // cancelled(): a local run is never cancelled mid-expression
        }, workspace ?? options.Workspace); // hashFiles sees the leg's GITHUB_WORKSPACE, not the caller's tree and its outputs
    }

    static Dictionary<string, string> Merge(params IEnumerable<KeyValuePair<string, string>>[] layers)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var layer in layers) foreach (var (k, v) in layer) merged[k] = v;
        return merged;
    }
}
