namespace MultiArch.Build.Tests.Support;

/// <summary>What one run of a test build left behind: its exit code, everything it printed, and what its actions recorded.</summary>
public sealed record BuildResult(int ExitCode, string Output, IReadOnlyList<string> Ran)
{
    /// <summary>The summary row of a target (or "Target [partition]"), e.g. <c>Compile  -  Succeeded  0:00.0</c>.</summary>
    public string SummaryRow(string target, string partition = "-") =>
        Output.Split('\n').LastOrDefault(l => l.StartsWith(target + " ", StringComparison.Ordinal) &&
            l[target.Length..].TrimStart().StartsWith(partition + " ", StringComparison.Ordinal)) ?? "";

    /// <summary>The status word in a target's summary row (Succeeded, Failed, Skipped, NotRun, Collective, Aborted).</summary>
    public string Status(string target, string partition = "-") =>
        SummaryRow(target, partition) is { Length: > 0 } row
            ? row[target.Length..].TrimStart()[partition.Length..].TrimStart().Split(' ')[0]
            : "(no row)";

    /// <inheritdoc />
    public override string ToString() => $"exit {ExitCode}\n{Output}";
}
