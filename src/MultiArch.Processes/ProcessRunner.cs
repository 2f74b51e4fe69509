using System.Text;
using CliWrap;

namespace MultiArch.Processes;

/// <summary>
/// One run of a program. Arguments are a list, each passed as one (never through a shell); a secret goes on
/// <see cref="StandardInput"/> or in <see cref="Environment"/>, never among the arguments, which a process listing shows.
/// </summary>
/// <param name="Program">The executable: a name looked up on PATH, or a path.</param>
/// <param name="Arguments">Its arguments.</param>
public sealed record ProcessCommand(string Program, IReadOnlyList<string> Arguments)
{
    /// <summary>Where it runs; the current directory when null.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables set for the child on top of this process's own; a null value removes one.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Variables the child never inherits, though this process has them (the build's secrets).</summary>
    public IReadOnlyCollection<string> Withheld { get; init; } = [];

    /// <summary>Written to the child's standard input, which is then closed (a password for <c>--password-stdin</c>).</summary>
    public string? StandardInput { get; init; }

    /// <summary>Receives each line of standard output and error as it comes (already masked), with true for stderr.</summary>
    public Action<string, bool>? Output { get; init; }

    /// <summary>Masks every line handed to <see cref="Output"/> and <see cref="ProcessResult.StandardError"/>.</summary>
    public SecretMasker? Masker { get; init; }

    /// <summary>How long it may run; it is killed (with what it started) when this runs out.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The program and its first arguments, for a one-line error (arguments never hold secrets).</summary>
    public string Title => string.Join(' ', Arguments.Take(3).Prepend(Program));
}

/// <summary>How a run ended.</summary>
/// <param name="ExitCode">The exit code; -1 when it was killed for running out of time.</param>
/// <param name="StandardOutput">Standard output exactly as printed (not masked: callers parse it, and a credential
/// helper answers on it).</param>
/// <param name="StandardError">Standard error, masked.</param>
/// <param name="TimedOut">True when <see cref="ProcessCommand.Timeout"/> ran out and the process was killed.</param>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut)
{
    /// <summary>Exited zero in time.</summary>
    public bool Succeeded => ExitCode == 0 && !TimedOut;

    /// <summary>The last lines of stderr (else of stdout, masked), joined with <c> | </c>: what a one-line failure quotes.</summary>
    public string Tail(int lines, SecretMasker? masker = null)
    {
        var text = StandardError.Trim().Length > 0 ? StandardError : masker?.Mask(StandardOutput) ?? StandardOutput;
        return string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(lines));
    }
}

/// <summary>
/// The one way MultiArch starts a child process (on CliWrap): <see cref="RunAsync"/> runs one to its end, and
/// <see cref="Start"/> starts one that is kept running (a registry, a second dockerd) until it is disposed.
/// </summary>
public static class ProcessRunner
{
    /// <summary>Runs the command to its end; a non-zero exit is a result, not an exception.</summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The program is not installed (or not executable).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> ended it (the process is killed).</exception>
    public static async Task<ProcessResult> RunAsync(ProcessCommand command, CancellationToken cancellationToken = default)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (command.Timeout is { } timeout) budget.CancelAfter(timeout);
        try
        {
            var result = await Wrap(command, stdout, stderr).ExecuteAsync(budget.Token);
            return new ProcessResult(result.ExitCode, stdout.ToString(), stderr.ToString(), TimedOut: false);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // CliWrap killed the process tree when the budget ran out (a helper waiting on a prompt, a hung push).
            return new ProcessResult(-1, stdout.ToString(), stderr.ToString(), TimedOut: true);
        }
    }

    /// <summary>
    /// <see cref="RunAsync"/> for a synchronous caller (a credential lookup inside a synchronous API). It blocks a
    /// thread-pool thread, never a captured context, so it cannot deadlock.
    /// </summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The program is not installed (or not executable).</exception>
#pragma warning disable VSTHRD002 // the one sync bridge, for the reason above; there is no context to capture here
    public static ProcessResult Run(ProcessCommand command) => Task.Run(() => RunAsync(command)).GetAwaiter().GetResult();
#pragma warning restore VSTHRD002

    /// <summary>
    /// Starts the command and returns while it runs; its output goes only to <see cref="ProcessCommand.Output"/>
    /// (a long-running child's output is never kept in memory). Disposing stops it.
    /// </summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The program is not installed (or not executable).</exception>
    public static RunningProcess Start(ProcessCommand command)
    {
        var graceful = new CancellationTokenSource();
        var forceful = new CancellationTokenSource();
        var task = Wrap(command, null, null).ExecuteAsync(forceful.Token, graceful.Token);
        return new RunningProcess(task, graceful, forceful);
    }

    static Command Wrap(ProcessCommand command, StringBuilder? stdout, StringBuilder? stderr)
    {
        var masker = command.Masker;
        string Masked(string line) => masker?.Mask(line) ?? line;
        var outLines = PipeTarget.ToDelegate(line => command.Output?.Invoke(Masked(line), false));
        var errLines = PipeTarget.ToDelegate(line =>
        {
            var masked = Masked(line);
            if (stderr is not null) lock (stderr) stderr.Append(masked).Append('\n');
            command.Output?.Invoke(masked, true);
        });
        var cli = Cli.Wrap(command.Program).WithArguments(command.Arguments)
            .WithEnvironmentVariables(env =>
            {
                foreach (var name in command.Withheld) env.Set(name, null); // CliWrap removes a variable set to null
                foreach (var (name, value) in command.Environment) env.Set(name, value);
            })
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(stdout is null ? outLines : PipeTarget.Merge(PipeTarget.ToStringBuilder(stdout), outLines))
            .WithStandardErrorPipe(errLines);
        if (command.WorkingDirectory is { } directory) cli = cli.WithWorkingDirectory(directory);
        if (command.StandardInput is { } input) cli = cli.WithStandardInputPipe(PipeSource.FromString(input));
        return cli;
    }
}

/// <summary>A child started by <see cref="ProcessRunner.Start"/>; disposing stops it (interrupt, then kill) and waits for it.</summary>
public sealed class RunningProcess : IAsyncDisposable
{
    readonly CommandTask<CommandResult> _task;
    readonly CancellationTokenSource _graceful;
    readonly CancellationTokenSource _forceful;

    internal RunningProcess(CommandTask<CommandResult> task, CancellationTokenSource graceful, CancellationTokenSource forceful) =>
        (_task, _graceful, _forceful) = (task, graceful, forceful);

    /// <summary>The operating system's process id.</summary>
    public int Id => _task.ProcessId;

    /// <summary>True once it has exited (by itself or stopped).</summary>
    public bool HasExited => _task.Task.IsCompleted;

    /// <summary>Its exit code, once it has exited by itself; null while it runs or when it was stopped.</summary>
#pragma warning disable VSTHRD002 // Result of a task already completed: nothing waits
    public int? ExitCode => _task.Task.IsCompletedSuccessfully ? _task.Task.Result.ExitCode : null;
#pragma warning restore VSTHRD002

    /// <summary>How long <see cref="DisposeAsync"/> waits after the interrupt before it kills the process tree.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Interrupts it (SIGINT), kills it with what it started when it is still there after
    /// <see cref="StopGrace"/>, and waits.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!HasExited)
        {
            await _graceful.CancelAsync();
            _forceful.CancelAfter(StopGrace);
        }
        try { await _task; }
        catch (OperationCanceledException) { } // stopped, as asked
        _graceful.Dispose();
        _forceful.Dispose();
    }
}
