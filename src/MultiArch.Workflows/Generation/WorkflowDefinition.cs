using System.Linq.Expressions;
using System.Text.RegularExpressions;
using MultiArch.Build;

namespace MultiArch.Workflows;

/// <summary>
/// A workflow declared in C#: which targets it invokes, when it runs, and how its jobs are set up.
/// <code>
/// new WorkflowDefinition("release", "Release")
///     .OnPush(tags: ["v*"]).OnDispatch()
///     .Invokes&lt;IMergeManifest&gt;(x =&gt; x.MergeManifest)
///     .Input("Version", "Version to publish")
///     .Login(RegistryLogin.GitHubContainerRegistry)
///     .Contribute(DockerSetup)
/// </code>
/// Jobs come from the target graph (see <see cref="JobGraphBuilder"/>); nothing here names a job or a step.
/// </summary>
public sealed partial class WorkflowDefinition
{
    readonly List<string> _targets = [];
    readonly List<IJobContributor> _contributors = [JobContributors.Checkout, JobContributors.SetupDotNet, BuildProgramCache.Contributor];
    readonly List<(string Parameter, WorkflowInput Input)> _inputs = [];
    readonly List<(string Parameter, string Secret)> _secrets = [];
    readonly Dictionary<string, string> _pins = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Starts a definition written to <c>.github/workflows/&lt;fileName&gt;.yml</c>.</summary>
    public WorkflowDefinition(string fileName, string name)
    {
        if (!FileNamePattern().IsMatch(fileName))
            throw new WorkflowDefinitionException($"Workflow file name '{fileName}' must be letters, digits, '-' or '_' (no folder, no "
                + $".yml), e.g. \"release\".");
        if (string.IsNullOrWhiteSpace(name)) throw new WorkflowDefinitionException($"Workflow '{fileName}' needs a display name.");
        FileName = fileName;
        Name = name;
    }

    /// <summary>The file name without <c>.yml</c>.</summary>
    public string FileName { get; }

    /// <summary>The name shown in the Actions tab.</summary>
    public string Name { get; }

    /// <summary>The triggers, as they will be written.</summary>
    public WorkflowTriggers Triggers { get; } = new();

    /// <summary>The targets invoked (dependencies are added by the plan).</summary>
    public IReadOnlyList<string> Targets => _targets;

    /// <summary>Which runner builds which platform.</summary>
    public RunnerMap Runners { get; private set; } = RunnerMap.Default;

    /// <summary>The runner of jobs without a platform axis (fan-in jobs).</summary>
    public string FanInRunner { get; private set; } = RunnerMap.X64Label;

    /// <summary>How publishing jobs log in, when the workflow publishes.</summary>
    public RegistryLogin? RegistryLogin { get; private set; }

    /// <summary>The script every job runs.</summary>
    public string BuildScript { get; private set; } = "./build.sh";

    /// <summary>Minutes before a job is cancelled.</summary>
    public int JobTimeoutMinutes { get; private set; } = 60;

    /// <summary>At most this many legs of a matrix at once (unlimited when null).</summary>
    public int? MatrixMaxParallel { get; private set; }

    /// <summary>The concurrency group; defaults to one group per workflow and ref.</summary>
    public Concurrency? ConcurrencyGroup { get; private set; }

    /// <summary>Environment for every job (never secret values: use <see cref="Secret"/>).</summary>
    public OrderedDictionary<string, string> Env { get; } = new(StringComparer.Ordinal);

    /// <summary>Contributors in order (checkout and setup-dotnet first).</summary>
    public IReadOnlyList<IJobContributor> Contributors => _contributors;

    /// <summary>workflow_dispatch inputs and the parameters they set.</summary>
    public IReadOnlyList<(string Parameter, WorkflowInput Input)> Inputs => _inputs;

    /// <summary>Repository secrets and the parameters they set.</summary>
    public IReadOnlyList<(string Parameter, string Secret)> Secrets => _secrets;

    /// <summary>Commit SHAs by <c>owner/repo@version</c>; when set, every action must have one.</summary>
    public IReadOnlyDictionary<string, string> ActionPins => _pins;

    /// <summary>Whether actions in <see cref="ActionVersions"/> are written as <c>owner/repo@sha # vX.Y.Z</c>.</summary>
    public bool PinsActionsFromTable { get; private set; }

    /// <summary>Whether publishing jobs and steps also run in forks (off: a fork's push builds but never publishes).</summary>
    public bool PublishesFromForks { get; private set; }

    /// <summary>How publishing targets behave, from the triggers.</summary>
    public PublishMode PublishMode => Triggers.PullRequest is null ? PublishMode.Always
        : Triggers.WorkflowDispatch is null && Triggers.Push is null && Triggers.Schedule.Count == 0 ? PublishMode.Never
        : PublishMode.ExceptPullRequests;

    /// <summary>Invokes targets by name (as on the command line).</summary>
    public WorkflowDefinition Invokes(params string[] targetNames)
    {
        _targets.AddRange(targetNames);
        return this;
    }

    /// <summary>Invokes a component's targets: <c>.Invokes&lt;IMergeManifest&gt;(x =&gt; x.MergeManifest)</c>.</summary>
    public WorkflowDefinition Invokes<T>(params Expression<Func<T, Target>>[] targetSelectors) where T : IBuild =>
        Invokes(targetSelectors.Select(ParameterService.MemberName).ToArray());

    /// <summary>Runs on manual dispatch (inputs come from <see cref="Input"/>).</summary>
    public WorkflowDefinition OnDispatch()
    {
        Triggers.WorkflowDispatch ??= new WorkflowDispatchTrigger();
        return this;
    }

    /// <summary>Runs on pushes to these branches and tags.</summary>
    public WorkflowDefinition OnPush(string[]? branches = null, string[]? tags = null)
    {
        Triggers.Push ??= new PushTrigger();
        Triggers.Push.Branches.AddRange(branches ?? []);
        Triggers.Push.Tags.AddRange(tags ?? []);
        return this;
    }

    /// <summary>Runs on pull requests against these branches (all when none): builds, never publishes.</summary>
    public WorkflowDefinition OnPullRequest(params string[] branches)
    {
        Triggers.PullRequest ??= new PullRequestTrigger();
        Triggers.PullRequest.Branches.AddRange(branches);
        return this;
    }

    /// <summary>Runs on a five-field UTC cron schedule, e.g. <c>0 0 * * *</c>.</summary>
    public WorkflowDefinition OnSchedule(string cron)
    {
        if (cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 5)
            throw new WorkflowDefinitionException($"Workflow '{FileName}' schedule '{cron}' must have five fields (minute hour day month "
                + $"weekday), e.g. \"0 0 * * *\".");
        Triggers.Schedule.Add(cron);
        return this;
    }

    /// <summary>A workflow_dispatch input that sets a build parameter (passed through <c>env:</c>, never spliced into scripts).</summary>
    public WorkflowDefinition Input(string parameter, string? description = null, bool required = false, string? defaultValue = null,
        string type = "string")
    {
        OnDispatch();
        _inputs.Add((parameter, new WorkflowInput { Description = description, Required = required, Default = defaultValue, Type = type }));
        return this;
    }

    /// <summary>Sets a build parameter from a repository secret: <c>env: PARAM: ${{ secrets.NAME }}</c> on the build step only.</summary>
    public WorkflowDefinition Secret(string parameter, string secretName)
    {
        if (!RegistryLogin.SecretName().IsMatch(secretName))
            throw new WorkflowDefinitionException($"Workflow '{FileName}' secret for '{parameter}' must be a secret NAME (letters, "
                + $"digits, underscores), never its value.");
        _secrets.Add((parameter, secretName));
        return this;
    }

    /// <summary>A fixed environment variable for every job (not for secrets: use <see cref="Secret"/>).</summary>
    public WorkflowDefinition WithEnv(string name, string value)
    {
        if (value.Contains("secrets.", StringComparison.OrdinalIgnoreCase))
            throw new WorkflowDefinitionException($"Workflow '{FileName}' env '{name}' references a secret; use .Secret(parameter, name) "
                + $"so it reaches only the build step.");
        Env[name] = value;
        return this;
    }

    /// <summary>
    /// Builds <paramref name="platformPattern"/> (e.g. <c>linux/arm64</c>, <c>linux/arm/*</c>) on runner <paramref name="label"/>,
    /// checked before the current rules: a larger-runner label, a self-hosted one, or <c>ubuntu-24.04</c> with
    /// <paramref name="emulated"/> for private repositories, which are not offered <c>ubuntu-24.04-arm</c>.
    /// </summary>
    public WorkflowDefinition RunsOn(string platformPattern, string label, bool emulated = false)
    {
        Runners = Runners.With(platformPattern, label, emulated);
        return this;
    }

    /// <summary>Lets publishing run in forks too (their owner's namespace must then be what the images name).</summary>
    public WorkflowDefinition PublishFromForks()
    {
        PublishesFromForks = true;
        return this;
    }

    /// <summary>Replaces the platform-to-runner map.</summary>
    public WorkflowDefinition WithRunners(RunnerMap runners)
    {
        Runners = runners;
        return this;
    }

    /// <summary>The runner of jobs without a platform axis.</summary>
    public WorkflowDefinition WithFanInRunner(string label)
    {
        FanInRunner = label;
        return this;
    }

    /// <summary>How publishing jobs log in to the registry.</summary>
    public WorkflowDefinition Login(RegistryLogin login)
    {
        RegistryLogin = login;
        return this;
    }

    /// <summary>The script jobs call (default <c>./build.sh</c>).</summary>
    public WorkflowDefinition WithBuildScript(string script)
    {
        BuildScript = script;
        return this;
    }

    /// <summary>Minutes before a job is cancelled (default 60).</summary>
    public WorkflowDefinition TimeoutMinutes(int minutes)
    {
        JobTimeoutMinutes = minutes > 0 ? minutes
            : throw new WorkflowDefinitionException($"Workflow '{FileName}' timeout must be positive, not {minutes}.");
        return this;
    }

    /// <summary>At most this many matrix legs at once.</summary>
    public WorkflowDefinition MaxParallel(int legs)
    {
        MatrixMaxParallel = legs > 0 ? legs
            : throw new WorkflowDefinitionException($"Workflow '{FileName}' max-parallel must be positive, not {legs}.");
        return this;
    }

    /// <summary>Sets the concurrency group (and whether a new run cancels the running one).</summary>
    public WorkflowDefinition Concurrency(string group, bool cancelInProgress = false)
    {
        ConcurrencyGroup = new Concurrency(group, cancelInProgress ? "true" : "false");
        return this;
    }

    /// <summary>Adds a contributor, called for every job after the ones before it.</summary>
    public WorkflowDefinition Contribute(IJobContributor contributor)
    {
        _contributors.Add(contributor);
        return this;
    }

    /// <summary>Adds setup steps computed from the job: <c>.Contribute(job =&gt; job.Publishes ? [loginStep] : [])</c>.</summary>
    public WorkflowDefinition Contribute(Func<JobContext, IEnumerable<Step>> steps) => Contribute(JobContributors.From(steps));

    /// <summary>Pins actions to full commit SHAs (<c>["actions/checkout@v4"] = "&lt;40 hex&gt;"</c>); every action used must then have a
    /// pin.</summary>
    public WorkflowDefinition PinActionsToCommits(IReadOnlyDictionary<string, string> shaByAction)
    {
        foreach (var (action, sha) in shaByAction)
        {
            ActionReference.Parse(action).PinnedTo(sha); // validates both halves now, not at generation
            _pins[action] = sha;
        }
        return this;
    }

    /// <summary>
    /// Pins every action to the commit of its release in <see cref="ActionVersions"/>
    /// (<c>actions/checkout@&lt;sha&gt; # v5.1.0</c>); pins given to the other overload win.
    /// </summary>
    public WorkflowDefinition PinActionsToCommits()
    {
        PinsActionsFromTable = true;
        return this;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex FileNamePattern();
}
