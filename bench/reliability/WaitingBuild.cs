using MultiArch.Build;

namespace MultiArch.Bench.Reliability;

/// <summary>A build whose one target waits until it is cancelled, so a test can send the engine a real SIGTERM.</summary>
public sealed class WaitingBuild : TargetBuild
{
    /// <summary>Says it started, then waits for cancellation.</summary>
    public Target Wait => _ => _.Executes(async () =>
    {
        Console.WriteLine("started");
        await Task.Delay(Timeout.Infinite, Cancellation);
    });
}
