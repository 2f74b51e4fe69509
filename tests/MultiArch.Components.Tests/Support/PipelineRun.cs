namespace MultiArch.Components.Tests;

/// <summary>What one run of the build printed and how it exited.</summary>
public sealed record PipelineRun(int ExitCode, string Output)
{
    /// <summary>The lines the engine printed as errors (<c>error: ...</c>).</summary>
    public IReadOnlyList<string> ErrorLines =>
        Output.Split('\n').Select(line => line.TrimEnd('\r')).Where(line => line.Contains("error: ")).ToList();

    /// <summary>For assertion messages: the exit code and the end of the output.</summary>
    public override string ToString() => $"exit {ExitCode}\n{string.Join('\n', Output.Split('\n').TakeLast(60))}";
}
