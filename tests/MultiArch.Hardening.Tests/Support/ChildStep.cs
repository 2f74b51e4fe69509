using System.Diagnostics;

namespace MultiArch.Hardening.Tests;

/// <summary>
/// A pipeline step running as its own process (bench/reliability, copied next to the tests), so a test can kill it
/// mid-way with SIGKILL or SIGTERM like a cancelled CI job.
/// </summary>
public sealed class ChildStep : IDisposable
{
    readonly Process _process;
    readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly System.Text.StringBuilder _output = new();

    ChildStep(Process process) => _process = process;

    /// <summary>The exit code (after <see cref="SignalAsync"/>).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the child printed.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Starts <c>dotnet MultiArch.Bench.Reliability.dll ARGS</c> and waits until it says it has started its work.</summary>
    public static async Task<ChildStep> StartAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MultiArch.Bench.Reliability.dll"));
        foreach (var argument in args) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        var child = new ChildStep(Process.Start(start)!);
        child._process.OutputDataReceived += (_, e) =>
        {
            lock (child._output) child._output.AppendLine(e.Data);
            if (e.Data == "started") child._started.TrySetResult();
        };
        child._process.ErrorDataReceived += (_, e) => { lock (child._output) child._output.AppendLine(e.Data); };
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        var started = await Task.WhenAny(child._started.Task, child._process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(30)));
        if (started != child._started.Task) throw new InvalidOperationException($"The child step did not start:\n{child.Output}");
        return child;
    }

    /// <summary>Sends <paramref name="signal"/> (<c>KILL</c> or <c>TERM</c>) and waits for the process to end.</summary>
    /// <returns>Whether the step was still running when the signal arrived (the kill landed mid-way).</returns>
    public async Task<bool> SignalAsync(string signal)
    {
        var running = !_process.HasExited;
        using (var kill = Process.Start("kill", $"-{signal} {_process.Id}")) await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _process.WaitForExitAsync(timeout.Token);
        return running;
    }

    /// <summary>Kills the process if a test left it running.</summary>
    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
