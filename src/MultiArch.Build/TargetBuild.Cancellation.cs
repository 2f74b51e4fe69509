using System.Runtime.InteropServices;

namespace MultiArch.Build;

// Ctrl+C and SIGTERM: the first aborts gracefully, a second ends the cleanup.
public abstract partial class TargetBuild
{
    readonly CancellationTokenSource _cancellation = new();
    // Assured targets (cleanup) get their own token after an abort: cancelled by a second signal or --cleanup-timeout.
    readonly CancellationTokenSource _cleanupCancellation = new();

    /// <summary>
    /// Cancelled by Ctrl+C or SIGTERM. Inside an AssuredAfterFailure target it is the cleanup token instead, which
    /// only a second signal or <c>--cleanup-timeout</c> cancels, so cleanup after a cancelled CI job gets to run.
    /// </summary>
    public CancellationToken Cancellation => InAssuredTarget.Value ? _cleanupCancellation.Token : _cancellation.Token;
    /// <summary>True once the run is being aborted (the first Ctrl+C or SIGTERM): cleanup can tell it is on borrowed time.</summary>
    public bool IsAborting => _cancellation.IsCancellationRequested;

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
}
