using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.InteropServices;

namespace MultiArch.Build;

/// <summary>
/// The base class of a build. <c>Main</c> calls <see cref="Execute{T}(string[], Expression{Func{T, Target}}[])"/>;
/// everything else is targets (properties) and parameters (fields or properties with <c>[Parameter]</c>).
/// </summary>
public abstract class TargetBuild : IBuild
{
    readonly CancellationTokenSource _cancellation = new();
    // Assured targets (cleanup) get their own token after an abort: cancelled by a second signal or --cleanup-timeout.
    readonly CancellationTokenSource _cleanupCancellation = new();
    internal readonly AsyncLocal<bool> InAssuredTarget = new();
    readonly List<string> _summary = [];

    TargetBuild IBuild.Build => this;

    /// <summary>The folder holding <c>.nuke/</c> (found upwards from the working directory, or --root).</summary>
    public AbsolutePath RootDirectory { get; private set; } = new(".");
    /// <summary>The masking log every line goes through.</summary>
    public BuildLog Log { get; private set; } = new(Console.Out);
    /// <summary>
    /// Cancelled by Ctrl+C or SIGTERM. Inside an AssuredAfterFailure target it is the cleanup token instead, which
    /// only a second signal or <c>--cleanup-timeout</c> cancels, so cleanup after a cancelled CI job gets to run.
    /// </summary>
    public CancellationToken Cancellation => InAssuredTarget.Value ? _cleanupCancellation.Token : _cancellation.Token;

    /// <summary>True once the run is being aborted (the first Ctrl+C or SIGTERM): cleanup can tell it is on borrowed time.</summary>
    public bool IsAborting => _cancellation.IsCancellationRequested;
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

    /// <summary>Print the targets and parameters, and exit.</summary>
    [Parameter("Print the targets and parameters, and exit", CommandLineOnly = true)] public bool Help;
    /// <summary>Print the execution order, write a Mermaid graph page, and exit.</summary>
    [Parameter("Print the execution order and write .nuke/temp/plan.html, without executing", CommandLineOnly = true)] public bool Plan;
    /// <summary>Write one Markdown reference page per component interface into this folder, and exit.</summary>
    [Parameter("Write a Markdown page per component (targets, parameters, settings hooks, members) into this folder, relative to the root, and exit", CommandLineOnly = true)]
    public string? Reference;
    /// <summary>Skip targets: with no names, every target not named on the command line.</summary>
    [Parameter("Skip these targets; with no names, skip every target not named on the command line", CommandLineOnly = true)] public string[]? Skip;
    /// <summary>Upper bound on partitions run at once.</summary>
    [Parameter("How many partitions (platforms) run at once")] public int Parallelism = 4;
    /// <summary>Print stack traces for failures.</summary>
    [Parameter("Print stack traces for failures (the same as --verbosity verbose)")] public bool Verbose;
    /// <summary>How much reaches the console; .nuke/temp/build.log always gets every line.</summary>
    [Parameter("quiet: only warnings, errors and the summary; normal; verbose: also stack traces. .nuke/temp/build.log always gets every line")]
    public Verbosity Verbosity = Verbosity.Normal;
    /// <summary>Parameter profiles layered over parameters.json.</summary>
    [Parameter("Layer .nuke/parameters.<name>.json over parameters.json (several: later ones win)", CommandLineOnly = true)] public string[]? Profile;
    /// <summary>How long assured (cleanup) targets may still run after Ctrl+C or SIGTERM.</summary>
    [Parameter("Seconds assured cleanup targets may still run after Ctrl+C or SIGTERM (a second signal ends them at once)")] public int CleanupTimeout = 30;
    /// <summary>The root folder given on the command line; read before parameters (see FindRoot), declared so it is a known option.</summary>
    [Parameter("The folder holding .nuke/ (default: the nearest one upwards from the working directory)", CommandLineOnly = true)] public AbsolutePath? Root;

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

    /// <summary>Runs the build with the console and the process environment. Returns the exit code.</summary>
    public static int Execute<T>(string[] args, params Expression<Func<T, Target>>[] defaultTargets) where T : TargetBuild, new() =>
        Execute(args, new BuildRunOptions(), defaultTargets);

    /// <summary>
    /// Runs the build with default targets declared by a component it implements, with no cast:
    /// <c>Execute&lt;Build, IMergeManifest&gt;(args, x =&gt; x.MergeManifest)</c>.
    /// </summary>
    public static int Execute<TBuild, TComponent>(string[] args, params Expression<Func<TComponent, Target>>[] defaultTargets)
        where TBuild : TargetBuild, TComponent, new() =>
        Execute<TBuild, TComponent>(args, new BuildRunOptions(), defaultTargets);

    /// <inheritdoc cref="Execute{TBuild, TComponent}(string[], Expression{Func{TComponent, Target}}[])"/>
    public static int Execute<TBuild, TComponent>(string[] args, BuildRunOptions options, params Expression<Func<TComponent, Target>>[] defaultTargets)
        where TBuild : TargetBuild, TComponent, new() =>
        Execute<TBuild>(args, options, defaultTargets.Select(d => ParameterService.MemberName(d)).ToList());

    /// <summary>Runs the build with explicit output, environment and root (tests use this).</summary>
    public static int Execute<T>(string[] args, BuildRunOptions options, params Expression<Func<T, Target>>[] defaultTargets) where T : TargetBuild, new() =>
        Execute<T>(args, options, defaultTargets.Select(d => ParameterService.MemberName(d)).ToList());

    static int Execute<T>(string[] args, BuildRunOptions options, List<string> defaultTargets) where T : TargetBuild, new()
    {
        var output = options.Output ?? Console.Out;
        var environment = options.Environment ?? System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");
        var build = new T();
        var console = Console.Out;
        try
        {
            // In a real process a target's own Console.WriteLine goes through the log too (tests pass their own writer).
            if (options.Output is null) Console.SetOut(new ConsoleToLog(() => build.Log));
            return build.Run(args, output, environment, options.RootDirectory, defaultTargets);
        }
        catch (BuildException e)
        {
            output.WriteLine(build.Log.Mask("error: " + e.Message));
            return 1;
        }
        catch (Exception e)
        {
            // Anything else outside a target (planning, partitioning) is still one line; the trace only on request.
            var error = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
            output.WriteLine(build.Log.Mask($"error: {error.Message}"));
            if (args.Contains("--verbose")) output.WriteLine(build.Log.Mask(error.ToString()));
            return 1;
        }
        finally
        {
            if (options.Output is null) { Console.Out.Flush(); Console.SetOut(console); }
            build.Log.CloseFile();
        }
    }

    int Run(string[] args, TextWriter output, IReadOnlyDictionary<string, string> environment, AbsolutePath? root, List<string> defaults)
    {
        Environment = environment;
        Host = BuildHost.Detect(environment);
        IsCI = environment.GetValueOrDefault("CI")?.ToLowerInvariant() == "true" || Host.IsGitHubActions;
        Log = new BuildLog(output);
        Log.SecretRegistered = secret => Host.AnnounceSecret(output, secret);

        var parameters = ParameterService.Discover(GetType());
        var switches = parameters.Where(p => (Nullable.GetUnderlyingType(p.Type) ?? p.Type) == typeof(bool)).Select(p => ParameterInfo.Normalize(p.Name)).ToHashSet();
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
                File.WriteAllText(directory / (component.Name + ".md"), ReferenceWriter.Markdown(Graph, component,
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
        foreach (var (p, v) in ParameterService.Parameters.Select(p => (p, ParameterService[p])).Where(x => x.Item2 is { Origin: ValueOrigin.Environment, Problem: null }))
            Log.Info($"{p.Name} = {(p.IsSecret ? "***" : Log.Mask(ParameterService.Format(v.Value) ?? ""))} (from {v.Where})");
        // A bad value typed on the command line, or of a field (injected up front), fails the run now; one from the
        // environment or a file of a property fails where it is read, so a stray variable only breaks what uses it.
        if (ParameterService.Parameters.Select(p => (p, v: ParameterService[p]))
                .FirstOrDefault(x => x.v.Problem is not null && (x.p.Member is FieldInfo || x.v.Origin == ValueOrigin.CommandLine)) is { v: { } bad })
            throw new BuildException(bad.Problem!);
        SchemaWriter.WriteIfChanged(RootDirectory / ".nuke" / "build.schema.json", Graph.Parameters);

        var requested = commandLine.Targets.Count > 0 ? commandLine.Targets.Select(n => Graph[n].Name).ToList() : defaults;
        if (requested.Count == 0) throw new BuildException("No target given and no default target. Name one, e.g. ./build.sh Test, or run --help.");
        var plan = Graph.Plan(requested);
        var skip = Skip is null ? new HashSet<string>()
            : Skip.Length == 0 ? plan.Select(t => t.Name).Except(requested, StringComparer.OrdinalIgnoreCase).ToHashSet(StringComparer.OrdinalIgnoreCase)
            : Skip.Select(n => Graph[n].Name).ToHashSet(StringComparer.OrdinalIgnoreCase);

        if (Plan)
        {
            Log.Raw(PlanWriter.Text(plan, t => Graph.Partitions(t.PartitionAxes), skip));
            var page = RootDirectory / ".nuke" / "temp" / "plan.html";
            Directory.CreateDirectory(page.Parent);
            var mermaid = PlanWriter.Mermaid(Graph, plan);
            File.WriteAllText(page.Parent / "plan.mmd", mermaid);
            File.WriteAllText(page, PlanWriter.Html(PlanSvg.Render(Graph, plan), mermaid, $"{GetType().Name}: {string.Join(" ", requested)}"));
            Log.Write($"Graph (opens offline): {page}");
            return 0;
        }

        Planned = plan.Where(t => !skip.Contains(t.Name)).ToList();
        foreach (var extension in Extensions().OrderBy(e => e.Priority)) extension.OnStarting(this, Graph, plan);

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        var runs = new TargetExecutor(this, Graph, Host).RunAsync(plan, skip, Parallelism).GetAwaiter().GetResult();
        DisposeResources();
        foreach (var extension in Extensions().OrderBy(e => e.Priority)) extension.OnBuildFinished(this, runs);
        List<string> notes;
        lock (_summary) notes = [.. _summary];
        Log.Raw(SummaryWriter.Text(runs, notes));
        Host.PublishSummary(Log.Mask(SummaryWriter.Markdown(runs, notes)));
        return runs.Any(r => r.Status == TargetStatus.Aborted) ? 130 : SummaryWriter.Failed(runs) ? 1 : 0;
    }

    internal void TargetFinished(TargetRun run)
    {
        foreach (var extension in Extensions().OrderBy(e => e.Priority)) extension.OnTargetFinished(this, run);
    }

    void DisposeResources()
    {
        List<IAsyncDisposable> resources;
        lock (_atEnd) { resources = [.. _atEnd]; _atEnd.Clear(); }
        foreach (var resource in Enumerable.Reverse(resources))
        {
            try { resource.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
            catch (Exception e) { Log.Warn($"Cleaning up {resource.GetType().Name} failed: {e.Message}"); }
        }
    }

    void Cancel(PosixSignalContext context)
    {
        // First signal: stop gracefully (running target Aborted, assured targets still run). A second one ends the
        // cleanup at once; a third kills the process.
        if (_cleanupCancellation.IsCancellationRequested) return;
        context.Cancel = true;
        if (_cancellation.IsCancellationRequested)
        {
            Log.Warn($"{context.Signal} received again: cancelling the cleanup targets.");
            _cleanupCancellation.Cancel();
        }
        else Abort($"{context.Signal} received");
    }

    // The signal handler's work, apart from the signal: tests reach it here, since signalling a test host is unsafe.
    internal void Abort(string reason)
    {
        Log.Warn($"{reason}: aborting after the running targets stop (cleanup targets get {CleanupTimeout} s).");
        _cancellation.Cancel();
        _cleanupCancellation.CancelAfter(TimeSpan.FromSeconds(Math.Max(0, CleanupTimeout)));
    }

    /// <summary>The value of a parameter as the build sees it (fields: the injected value; interface properties: the getter).</summary>
    public object? ParameterValue(ParameterInfo parameter) => parameter.Member switch
    {
        FieldInfo f => f.GetValue(this),
        PropertyInfo p => p.GetValue(this),
        _ => null,
    };

    TargetBuild? _defaults, _declared;

    /// <summary>This build as if no value were given anywhere: what <c>--help</c> shows as defaults.</summary>
    internal TargetBuild Defaults => _defaults ??= View(ParameterSnapshot.Empty);

    /// <summary>
    /// This build as its parameters files declare it, ignoring the command line and the environment: what a generated
    /// CI matrix must contain whatever command regenerated it.
    /// </summary>
    public TargetBuild Declared => _declared ??= View(ParameterService.Declared);

    // Another instance of the same class over another snapshot: its getters and partition source read only that
    // snapshot, so no getter depends on a mode switched on and off around it.
    TargetBuild View(ParameterSnapshot snapshot)
    {
        var view = (TargetBuild)Activator.CreateInstance(GetType(), nonPublic: true)!;
        view.Environment = Environment;
        view.Host = Host;
        view.IsCI = IsCI;
        view.Log = Log;
        view.RootDirectory = RootDirectory;
        view.ParameterService = ParameterService.Over(snapshot);
        view.InjectFields();
        view.Graph = TargetGraph.FromBuild(view);
        return view;
    }

    string? DefaultOf(ParameterInfo parameter)
    {
        try { return ParameterService.Format(Defaults.ParameterValue(parameter)); }
        catch { return null; } // a default that cannot be computed without a value is simply not shown
    }

    // Fields are set once from the snapshot; a view over the empty snapshot keeps every initializer as the default.
    void InjectFields()
    {
        foreach (var parameter in ParameterService.Parameters)
        {
            if (ParameterService[parameter].Value is not { } value) continue;
            if (parameter.Member is FieldInfo field) field.SetValue(this, value);
            else if (parameter.Member is PropertyInfo { CanWrite: true, DeclaringType.IsInterface: false } property) property.SetValue(this, value);
        }
    }

    IEnumerable<BuildExtensionAttribute> Extensions() =>
        GetType().GetCustomAttributes<BuildExtensionAttribute>(inherit: true)
            .Concat(GetType().GetInterfaces().SelectMany(i => i.GetCustomAttributes<BuildExtensionAttribute>()));

    static AbsolutePath FindRoot(CommandLine commandLine)
    {
        if (commandLine.Options.TryGetValue("root", out var root) && root.Count == 1)
            // Never created: a typo would otherwise get a .nuke folder and a run in an empty place.
            return Directory.Exists(root[0]) ? new AbsolutePath(Path.GetFullPath(root[0]))
                : throw new BuildException($"--root {root[0]}: no such folder. Pass the repository's root (the folder holding .nuke/), or leave --root out to find it from the current folder.");
        for (var dir = new DirectoryInfo(System.Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, ".nuke"))) return new AbsolutePath(dir.FullName);
        return new AbsolutePath(System.Environment.CurrentDirectory);
    }
}

/// <summary>How a build is run: output, environment and root; null means the process's own.</summary>
public sealed record BuildRunOptions
{
    /// <summary>Where lines go (default: the console).</summary>
    public TextWriter? Output { get; init; }
    /// <summary>The environment (default: the process environment).</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }
    /// <summary>The root folder (default: the nearest folder with .nuke/).</summary>
    public AbsolutePath? RootDirectory { get; init; }
}
