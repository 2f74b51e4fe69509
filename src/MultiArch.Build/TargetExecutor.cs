using System.Diagnostics;

namespace MultiArch.Build;

/// <summary>
/// Runs a plan. Consecutive targets partitioned by the same axes form a lane per partition: each lane runs its
/// chain in order, lanes run in parallel (bounded), like CI matrix legs. After a failure the rest is NotRun,
/// except targets marked AssuredAfterFailure, and the rest of a ProceedAfterFailure target's plan. A failure in a
/// partition stops only the later partitions that agree with it (<see cref="Partition.AgreesWith"/>): when a
/// worker image's lane fails, a later target partitioned by image still runs for the api image. Any unpartitioned
/// later target stops, as before.
/// </summary>
public sealed class TargetExecutor(TargetBuild build, TargetGraph graph, BuildHost host)
{
    readonly List<TargetRun> _runs = [];
    /// <summary>Executes <paramref name="plan"/>; <paramref name="skip"/> names targets to skip.</summary>
    public async Task<IReadOnlyList<TargetRun>> RunAsync(IReadOnlyList<ExecutableTarget> plan, ISet<string> skip, int parallelism)
    {
        var skipped = StaticSkips(plan, skip);
        CheckRequirements(plan.Where(t => !skipped.ContainsKey(t)));

        var failed = false;
        var failedIn = new List<Partition?>(); // null: a failure outside any partition, which stops everything after
        foreach (var (segment, axes) in TargetGraph.Segments(plan))
        {
            List<Partition?> partitions;
            try { partitions = axes.Count == 0 ? [null] : graph.Partitions(axes).Cast<Partition?>().ToList(); }
            // After a failure the rest is NotRun anyway: an input the failure already reported must not be reported twice.
            catch (BuildException) when (failed) { partitions = [null]; }
            var lanes = partitions.Select(p => segment.Select(t => new TargetRun(t, p)).ToList()).ToList();
            lock (_runs) _runs.AddRange(segment.SelectMany(t => lanes.Select(l => l.First(r => r.Target == t))));

            using var gate = new SemaphoreSlim(Math.Max(1, parallelism));
            var laneResults = await Task.WhenAll(lanes.Select(async lane =>
            {
                var partition = lane[0].Partition;
                var stopped = build.Cancellation.IsCancellationRequested
                              || failedIn.Any(f => f is null || partition is null || f.AgreesWith(partition));
                await gate.WaitAsync();
                // On the thread pool: most actions are synchronous (tool calls), and would otherwise run lane after lane.
                var parallel = lanes.Count > 1 && parallelism > 1;
                try { return (Partition: partition, Failed: await Task.Run(() => RunLaneAsync(lane, skipped, stopped, parallel))); }
                finally { gate.Release(); }
            }));
            failedIn.AddRange(laneResults.Where(r => r.Failed).Select(r => r.Partition));
            failed = failedIn.Count > 0;
        }
        return _runs;
    }

    // Returns true when the lane failed in a way that stops the rest of the plan.
    async Task<bool> RunLaneAsync(List<TargetRun> lane, Dictionary<ExecutableTarget, string> skipped, bool stopped, bool parallel)
    {
        var stop = stopped;
        foreach (var run in lane)
        {
            try { stop = await RunOneAsync(run, stop, skipped, parallel); }
            finally { build.TargetFinished(run); }
        }
        return stop && !stopped && lane.Any(r => r.Status is TargetStatus.Failed or TargetStatus.Aborted);
    }

    // Decides and (unless stopped, skipped, blocked or conditional-false) executes one run; returns the lane's stop flag.
    async Task<bool> RunOneAsync(TargetRun run, bool stop, Dictionary<ExecutableTarget, string> skipped, bool parallel)
    {
        if (build.Cancellation.IsCancellationRequested) stop = true;
        // A partitioned target without its cell (the cells could not be computed after an earlier failure) cannot run,
        // assured or not: the failure that stopped the plan is the one to report.
        if (stop && (!run.Target.AssuredAfterFailure || (run.Partition is null && run.Target.PartitionAxes.Count > 0)))
        { run.Status = TargetStatus.NotRun; return stop; }
        if (skipped.TryGetValue(run.Target, out var reason)) { (run.Status, run.Note) = (TargetStatus.Skipped, reason); return stop; }
        // ProceedAfterFailure lets the rest of the plan go on, but never a target whose own input failed.
        if (FailedDependency(run) is { } dependency) { (run.Status, run.Note) = (TargetStatus.Blocked, dependency); return stop; }
        string? falseCondition;
        try { falseCondition = FirstFalse(run.Target.Definition.DynamicConditions); }
        catch (Exception e)
        {
            // A condition that throws is this target failing, not the engine crashing without a summary.
            (run.Status, run.Note) = (TargetStatus.Failed, FirstLine($"condition threw: {e.Message}"));
            host.ReportFailure(build.Log, run.Title, $"condition threw: {e.Message}");
            return stop || !run.Target.ProceedAfterFailure;
        }
        if (falseCondition is { } f) { (run.Status, run.Note) = (TargetStatus.Skipped, $"condition false: {f}"); return stop; }
        if (run.Target.IsCollective) { run.Status = TargetStatus.Collective; return stop; }
        await ExecuteAsync(run, parallel);
        return stop || run.Status is TargetStatus.Aborted || run.Status is TargetStatus.Failed && !run.Target.ProceedAfterFailure;
    }

    async Task ExecuteAsync(TargetRun run, bool parallel)
    {
        // GitHub's log groups cannot interleave, so parallel lanes use prefixes instead.
        if (!parallel) host.BeginTarget(build.Log, run.Title);
        build.Log.Prefix = parallel ? run.Partition?.Key : null;
        var clock = Stopwatch.StartNew();
        var cancelledBefore = build.Cancellation.IsCancellationRequested;
        build.InAssuredTarget.Value = run.Target.AssuredAfterFailure;
        build.Log.Target = run.Title;
        try
        {
            foreach (var action in run.Target.Definition.Actions) await action(run.Partition);
            // An action that ignores the token still ends an aborted run: reporting Succeeded would let the build exit 0.
            (run.Status, run.Note) = !cancelledBefore && build.Cancellation.IsCancellationRequested
                ? (TargetStatus.Aborted, "cancelled while running") : (TargetStatus.Succeeded, null);
        }
        catch (TargetSkippedException e) { (run.Status, run.Note) = (TargetStatus.Skipped, e.Message); }
        catch (Exception e) when (build.Cancellation.IsCancellationRequested && e is OperationCanceledException or TaskCanceledException)
        { (run.Status, run.Note) = (TargetStatus.Aborted, "cancelled"); }
        catch (Exception e)
        {
            var error = e is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : e;
            (run.Status, run.Note) = (TargetStatus.Failed, FirstLine(error.Message));
            host.ReportFailure(build.Log, run.Title, error.Message);
            if (build.Log.Verbosity == Verbosity.Verbose) build.Log.Write(error.ToString());
        }
        finally
        {
            run.Duration = clock.Elapsed;
            build.InAssuredTarget.Value = false;
            build.Log.Target = null;
            build.Log.Prefix = null;
            if (!parallel) host.EndTarget(build.Log, run.Title);
        }
    }

    // Why a dependency (failed or itself blocked, in an agreeing partition, or unpartitioned on either side) blocks
    // this run; statuses are set in plan order, so checking direct dependencies covers the whole closure.
    string? FailedDependency(TargetRun run)
    {
        lock (_runs)
            return run.Target.DependsOn.Select(name => _runs.FirstOrDefault(r => r.Target.Name == name
                    && r.Status is TargetStatus.Failed or TargetStatus.Aborted or TargetStatus.Blocked
                    && (r.Partition is null || run.Partition is null || r.Partition.AgreesWith(run.Partition))))
                .OfType<TargetRun>()
                .Select(r => r.Status == TargetStatus.Blocked ? r.Note! : $"{r.Target.Name} failed") // the root cause, however far
                .FirstOrDefault();
    }

    // --skip and static conditions, decided before anything runs.
    Dictionary<ExecutableTarget, string> StaticSkips(IReadOnlyList<ExecutableTarget> plan, ISet<string> skip)
    {
        var skipped = new Dictionary<ExecutableTarget, string>();
        foreach (var target in plan)
        {
            if (skip.Contains(target.Name)) skipped[target] = "--skip";
            else
            {
                string? text;
                try { text = FirstFalse(target.Definition.StaticConditions); }
                catch (Exception e)
                { throw new BuildException($"Target '{target.Name}': its OnlyWhenStatic condition threw: {FirstLine(e.Message)}"); }
                if (text is not null) skipped[target] = $"condition false: {text}";
            }
        }
        // WhenSkipped(Skip): a skipped target's dependencies that no running target needs are skipped too.
        foreach (var target in plan.Reverse().Where(t => skipped.ContainsKey(t))
                     .Where(t => t.Definition.SkippedDependencyBehavior == DependencyBehavior.Skip))
            foreach (var dependency in target.DependsOn.Select(n => graph[n]))
                if (!plan.Any(t => !skipped.ContainsKey(t) && t.DependsOn.Contains(dependency.Name)))
                    skipped.TryAdd(dependency, $"dependency of skipped {target.Name}");
        return skipped;
    }

    void CheckRequirements(IEnumerable<ExecutableTarget> targets)
    {
        foreach (var target in targets)
            foreach (var name in target.RequiredParameters)
            {
                var parameter = graph.Parameters.FirstOrDefault(p => p.Member.Name == name || p.Name == name)
                    ?? throw new BuildException($"Target '{target.Name}' requires '{name}', which is not a [Parameter]. "
                                                + "Mark it with [Parameter].");
                var value = build.ParameterValue(parameter);
                if (value is null || value is string { Length: 0 } || value is Array { Length: 0 })
                    throw new BuildException($"Target '{target.Name}' needs parameter '{parameter.Name}': pass {parameter.CliName} "
                        + $"<value>, set {parameter.EnvironmentVariable}, or add \"{parameter.Name}\" to .nuke/parameters.json.");
            }
    }

    static string? FirstFalse(List<(Func<bool> Condition, string Text)> conditions) => conditions.FirstOrDefault(c => !c.Condition()).Text;

    static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
