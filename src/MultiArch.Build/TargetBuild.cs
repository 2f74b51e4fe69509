using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.InteropServices;

namespace MultiArch.Build;

/// <summary>
/// The base class of a build. <c>Main</c> calls <see cref="Execute{T}(string[], Expression{Func{T, Target}}[])"/>;
/// everything else is targets (properties) and parameters (fields or properties with <c>[Parameter]</c>).
/// </summary>
public abstract partial class TargetBuild : IBuild
{
    internal readonly AsyncLocal<bool> InAssuredTarget = new();
    readonly List<string> _summary = [];

    TargetBuild IBuild.Build => this;
    /// <summary>The folder holding <c>.nuke/</c> (found upwards from the working directory, or --root).</summary>
    public AbsolutePath RootDirectory { get; private set; } = new(".");
    /// <summary>The masking log every line goes through.</summary>
    public BuildLog Log { get; private set; } = new(Console.Out);
    /// <summary>Whether the build runs in CI (CI=true or GitHub Actions).</summary>
    public bool IsCI { get; private set; }
    /// <summary>The host (console or GitHub Actions).</summary>
    public BuildHost Host { get; private set; } = new();
    /// <summary>The environment the build was started with.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; private set; } = new Dictionary<string, string>();
    /// <summary>Resolves parameter values.</summary>
    public ParameterService ParameterService { get; private set; } = null!;
    /// <summary>The resolved target graph.</summary>
    public TargetGraph Graph { get; private set; } = null!;

    // The engine's own options; each [Parameter] text is what --help shows, so it is the documentation too.
    [Parameter("Print the targets and parameters, and exit", CommandLineOnly = true)] public bool Help;
    [Parameter("Print the execution order and write .nuke/temp/plan.html, without executing", CommandLineOnly = true)] public bool Plan;
    [Parameter("Write a Markdown page per component (targets, parameters, settings hooks, members) into this folder, "
               + "relative to the root, and exit", CommandLineOnly = true)] public string? Reference;
    [Parameter("Skip these targets; with no names, skip every target not named on the command line", CommandLineOnly = true)]
    public string[]? Skip;
    [Parameter("How many partitions (platforms) run at once")] public int Parallelism = 4;
    [Parameter("Print stack traces for failures (the same as --verbosity verbose)")] public bool Verbose;
    [Parameter("quiet: only warnings, errors and the summary; normal; verbose: also stack traces. "
               + ".nuke/temp/build.log always gets every line")] public Verbosity Verbosity = Verbosity.Normal;
    [Parameter("Layer .nuke/parameters.<name>.json over parameters.json (several: later ones win)", CommandLineOnly = true)]
    public string[]? Profile;
    [Parameter("Seconds assured cleanup targets may still run after Ctrl+C or SIGTERM (a second signal ends them at once)")]
    public int CleanupTimeout = 30;
    // Read before the other parameters (see FindRoot); declared so that it is a known option.
    [Parameter("The folder holding .nuke/ (default: the nearest one upwards from the working directory)", CommandLineOnly = true)]
    public AbsolutePath? Root;
    /// <summary>Adds a line printed after the summary table (e.g. the published reference).</summary>
    public void AddSummary(string line) { lock (_summary) _summary.Add(line); }
    /// <summary>The targets this run executes, in order, without those --skip names (empty until the run starts).</summary>
    public IReadOnlyList<ExecutableTarget> Planned { get; private set; } = [];

    readonly List<IAsyncDisposable> _atEnd = [];

    /// <summary>
    /// Disposes <paramref name="resource"/> when the run ends, whatever its outcome (after the last target, before
    /// the summary): for something a target starts for the rest of the run, such as a throwaway service.
    /// </summary>
    public T DisposeAtEnd<T>(T resource) where T : IAsyncDisposable { lock (_atEnd) _atEnd.Add(resource); return resource; }

    async Task<int> RunAsync(string[] args, TextWriter output, IReadOnlyDictionary<string, string> environment, AbsolutePath? root,
        List<string> defaults)
    {
        Environment = environment;
        Host = BuildHost.Detect(environment);
        IsCI = environment.GetValueOrDefault("CI")?.ToLowerInvariant() == "true" || Host.IsGitHubActions;
        Log = new BuildLog(output);
        Log.SecretRegistered = secret => Host.AnnounceSecret(output, secret);

        var parameters = ParameterService.Discover(GetType());
        var switches = parameters.Where(p => (Nullable.GetUnderlyingType(p.Type) ?? p.Type) == typeof(bool))
            .Select(p => ParameterInfo.Normalize(p.Name)).ToHashSet();
        var targetNames = TargetGraph.Discover(GetType()).Select(t => t.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var commandLine = CommandLine.Parse(args, switches.Contains, targetNames.Contains);
        RootDirectory = root ?? FindRoot(commandLine);
        ParameterService = ParameterService.Resolve(parameters, commandLine, environment, RootDirectory);
        foreach (var secret in ParameterService.SecretValues) Log.AddSecret(secret);
        InjectFields();
        Log.Verbosity = Verbose ? Verbosity.Verbose : Verbosity;
        Log.Annotate = (level, title, message) => Host.Annotate(Log, level, title, message);
        // Every run keeps its whole log, whatever the verbosity (help and plan are not runs).
        if (!Help && !Plan) Log.TeeTo(RootDirectory / ".nuke" / "temp" / "build.log");
        Graph = TargetGraph.FromBuild(this);
        foreach (var name in defaults) Graph[name].IsDefault = true;

        if (Reference is { } folder)
        {
            var directory = RootDirectory / folder;
            Directory.CreateDirectory(directory);
            foreach (var component in ReferenceWriter.Components(GetType(), Graph))
                await File.WriteAllTextAsync(directory / (component.Name + ".md"), ReferenceWriter.Markdown(Graph, component,
                    // Paths under the root are shown relative to it, so the page reads the same in every clone.
                    p => DefaultOf(p)?.Replace(RootDirectory + Path.DirectorySeparatorChar, "", StringComparison.Ordinal)));
            Log.Write($"Reference pages: {directory}");
            return 0;
        }
        if (Help)
        {
            Log.Raw(HelpWriter.Write(Graph, ParameterService.Values, GetType().Name, DefaultOf, ParameterService.Profiles(RootDirectory)));
            return 0;
        }
        // A value from the environment is easy to forget (VERSION left over from a shell): each is shown once, masked.
        foreach (var (p, v) in ParameterService.Parameters.Select(p => (p, v: ParameterService[p]))
                     .Where(x => x.v is { Origin: ValueOrigin.Environment, Problem: null }))
            Log.Info($"{p.Name} = {(p.IsSecret ? "***" : Log.Mask(ParameterService.Format(v.Value) ?? ""))} (from {v.Where})");
        // A bad value typed on the command line, or of a field (injected up front), fails the run now; one from the
        // environment or a file of a property fails where it is read, so a stray variable only breaks what uses it.
        if (ParameterService.Parameters.Select(p => (p, v: ParameterService[p]))
                .FirstOrDefault(x => x.v.Problem is not null && (x.p.Member is FieldInfo || x.v.Origin == ValueOrigin.CommandLine))
            is { v: { } bad })
            throw new BuildException(bad.Problem!);
        SchemaWriter.WriteIfChanged(RootDirectory / ".nuke" / "build.schema.json", Graph.Parameters);

        var requested = commandLine.Targets.Count > 0 ? commandLine.Targets.Select(n => Graph[n].Name).ToList() : defaults;
        if (requested.Count == 0)
            throw new BuildException("No target given and no default target. Name one, e.g. ./build.sh Test, or run --help.");
        var plan = Graph.Plan(requested);
        var skip = Skip is null ? new HashSet<string>()
            : Skip.Length == 0 ? plan.Select(t => t.Name).Except(requested, StringComparer.OrdinalIgnoreCase)
                .ToHashSet(StringComparer.OrdinalIgnoreCase)
            : Skip.Select(n => Graph[n].Name).ToHashSet(StringComparer.OrdinalIgnoreCase);

        if (Plan)
        {
            Log.Raw(PlanWriter.Text(plan, t => Graph.Partitions(t.PartitionAxes), skip));
            var page = RootDirectory / ".nuke" / "temp" / "plan.html";
            Directory.CreateDirectory(page.Parent);
            var mermaid = PlanWriter.Mermaid(Graph, plan);
            await File.WriteAllTextAsync(page.Parent / "plan.mmd", mermaid);
            await File.WriteAllTextAsync(page, PlanWriter.Html(PlanSvg.Render(Graph, plan), mermaid,
                $"{GetType().Name}: {string.Join(" ", requested)}"));
            Log.Write($"Graph (opens offline): {page}");
            return 0;
        }

        Planned = plan.Where(t => !skip.Contains(t.Name)).ToList();
        foreach (var extension in Extensions()) extension.OnStarting(this, Graph, plan);
        await OnStartingAsync();

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        var runs = await new TargetExecutor(this, Graph, Host).RunAsync(plan, skip, Parallelism);
        await DisposeResourcesAsync();
        foreach (var extension in Extensions()) extension.OnBuildFinished(this, runs);
        List<string> notes;
        lock (_summary) notes = [.. _summary];
        Log.Raw(SummaryWriter.Text(runs, notes));
        Host.PublishSummary(Log.Mask(SummaryWriter.Markdown(runs, notes)));
        return runs.Any(r => r.Status == TargetStatus.Aborted) ? 130 : SummaryWriter.Failed(runs) ? 1 : 0;
    }

    /// <summary>Runs once before the first target (not for --help, --plan or --reference): asynchronous set-up of a base class.</summary>
    protected virtual Task OnStartingAsync() => Task.CompletedTask;

    internal void TargetFinished(TargetRun run)
    {
        foreach (var extension in Extensions()) extension.OnTargetFinished(this, run);
    }

    async Task DisposeResourcesAsync()
    {
        List<IAsyncDisposable> resources;
        lock (_atEnd) { resources = [.. _atEnd]; _atEnd.Clear(); }
        foreach (var resource in Enumerable.Reverse(resources))
        {
            try { await resource.DisposeAsync(); }
            catch (Exception e) { Log.Warn($"Cleaning up {resource.GetType().Name} failed: {e.Message}"); }
        }
    }

    // In priority order, lower first.
    IEnumerable<BuildExtensionAttribute> Extensions() => GetType().GetCustomAttributes<BuildExtensionAttribute>(inherit: true)
        .Concat(GetType().GetInterfaces().SelectMany(i => i.GetCustomAttributes<BuildExtensionAttribute>())).OrderBy(e => e.Priority);
}
