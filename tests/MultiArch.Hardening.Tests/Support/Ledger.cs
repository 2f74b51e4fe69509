using System.Collections.Concurrent;

namespace MultiArch.Hardening.Tests;

/// <summary>One fault run: what was injected, what completed, how many retries it took, what was lost.</summary>
public sealed record FaultFigure(string Scenario, string Injected, int Requests, int Operations, int Retries, int DataLost,
    TimeSpan Duration);

/// <summary>One bad input: what was given, what the user saw, and whether it was the expected one line.</summary>
public sealed record BadInputFigure(string Case, string Input, int ExitCode, string Message, bool Expected);

/// <summary>One secret check: where a test looked for a secret it had given, how many places, and how many held it.</summary>
public sealed record SecretFigure(string Check, int Places, int Leaks);

/// <summary>Figures the tests collect for artifacts/reliability.md (written by <see cref="ReliabilityReport"/>).</summary>
public static class Ledger
{
    /// <summary>Fault runs.</summary>
    public static ConcurrentQueue<FaultFigure> Faults { get; } = new();

    /// <summary>Bad inputs.</summary>
    public static ConcurrentQueue<BadInputFigure> BadInputs { get; } = new();

    /// <summary>Secret checks.</summary>
    public static ConcurrentQueue<SecretFigure> Secrets { get; } = new();

    /// <summary>Other outcomes (interruption, concurrency), one line each.</summary>
    public static ConcurrentQueue<string> Notes { get; } = new();
}
