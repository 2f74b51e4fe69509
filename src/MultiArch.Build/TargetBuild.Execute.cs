using System.Linq.Expressions;
using System.Reflection;

namespace MultiArch.Build;

// The static entry points Main calls, and what they settle before the run: output, environment, root.
public abstract partial class TargetBuild
{
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
    public static int Execute<TBuild, TComponent>(string[] args, BuildRunOptions options,
        params Expression<Func<TComponent, Target>>[] defaultTargets)
        where TBuild : TargetBuild, TComponent, new() =>
        Execute<TBuild>(args, options, defaultTargets.Select(d => ParameterService.MemberName(d)).ToList());

    /// <summary>Runs the build with explicit output, environment and root (tests use this).</summary>
    public static int Execute<T>(string[] args, BuildRunOptions options, params Expression<Func<T, Target>>[] defaultTargets)
        where T : TargetBuild, new() =>
        Execute<T>(args, options, defaultTargets.Select(d => ParameterService.MemberName(d)).ToList());

    // The one bridge from synchronous Main to the asynchronous run. On the thread pool, so no caller's synchronization
    // context (a UI, a test runner's) is captured and then blocked on.
    static int Execute<T>(string[] args, BuildRunOptions options, List<string> defaultTargets) where T : TargetBuild, new()
    {
        var build = new T(); // in the caller's flow: what its constructor sets there (an AsyncLocal) stays visible to the caller
#pragma warning disable VSTHRD002 // the outermost entry point: Main returns an int
        return Task.Run(() => build.ExecuteAsync(args, options, defaultTargets)).GetAwaiter().GetResult();
#pragma warning restore VSTHRD002
    }

    async Task<int> ExecuteAsync(string[] args, BuildRunOptions options, List<string> defaultTargets)
    {
        var output = options.Output ?? Console.Out;
        var environment = options.Environment ?? System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");
        var console = Console.Out;
        try
        {
            // In a real process a target's own Console.WriteLine goes through the log too (tests pass their own writer).
            if (options.Output is null) Console.SetOut(new ConsoleToLog(() => Log));
            return await RunAsync(args, output, environment, options.RootDirectory, defaultTargets);
        }
        catch (BuildException e)
        {
            await output.WriteLineAsync(Log.Mask("error: " + e.Message));
            return 1;
        }
        catch (Exception e)
        {
            // Anything else outside a target (planning, partitioning) is still one line; the trace only on request.
            var error = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
            await output.WriteLineAsync(Log.Mask($"error: {error.Message}"));
            if (args.Contains("--verbose")) await output.WriteLineAsync(Log.Mask(error.ToString()));
            return 1;
        }
        finally
        {
            if (options.Output is null) { await Console.Out.FlushAsync(); Console.SetOut(console); }
            Log.CloseFile();
        }
    }

    static AbsolutePath FindRoot(CommandLine commandLine)
    {
        if (commandLine.Options.TryGetValue("root", out var root) && root.Count == 1)
            // Never created: a typo would otherwise get a .nuke folder and a run in an empty place.
            return Directory.Exists(root[0]) ? new AbsolutePath(Path.GetFullPath(root[0]))
                : throw new BuildException($"--root {root[0]}: no such folder. Pass the repository's root (the folder holding .nuke/), or "
                    + "leave --root out to find it from the current folder.");
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
