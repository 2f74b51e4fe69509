using System.Diagnostics;
using System.Text;

namespace MultiArch.Hardening.Tests;

/// <summary>A process the pipeline started, as /proc showed it while it ran.</summary>
/// <param name="Pid">Its pid.</param>
/// <param name="Name">Its command name (<c>/proc/PID/comm</c>), e.g. <c>docker</c>.</param>
/// <param name="CommandLine">Its arguments joined by spaces (<c>/proc/PID/cmdline</c>).</param>
/// <param name="Environment">Its environment (<c>/proc/PID/environ</c>) as NAME=value lines.</param>
public sealed record ChildProcess(int Pid, string Name, string CommandLine, IReadOnlyList<string> Environment);

/// <summary>
/// The pipeline as a process of its own (<c>bench/reliability</c>'s <c>pipeline</c> mode: <c>TargetBuild.Execute</c>
/// with the process's real environment and standard input, as <c>./build.sh</c> runs it). While it runs, every
/// process below it is read from /proc, so a test sees what the docker client was really given.
/// </summary>
public sealed class PipelineProcess
{
    /// <summary>Everything it printed.</summary>
    public string Output { get; private set; } = "";

    /// <summary>Its exit code, or null when it was still running at the limit (then it was killed).</summary>
    public int? ExitCode { get; private set; }

    /// <summary>Its own command line.</summary>
    public string CommandLine { get; private set; } = "";

    /// <summary>Every process it started (children and theirs), each read once while it ran.</summary>
    public IReadOnlyList<ChildProcess> Children { get; private set; } = [];

    /// <summary>The lines holding <c>error: </c>.</summary>
    public IReadOnlyList<string> Errors => Output.Split('\n').Select(l => l.TrimEnd('\r').Trim())
        .Where(l => l.Contains("error: ", StringComparison.Ordinal)).ToList();

    /// <summary>
    /// Runs it in <paramref name="root"/> with only PATH, HOME and <paramref name="environment"/>, waiting at most
    /// <paramref name="limit"/>.
    /// </summary>
    public static Task<PipelineProcess> RunAsync(string root, IReadOnlyDictionary<string, string> environment, string? standardInput,
        TimeSpan limit, params string[] args) => RunAsync(root, environment, standardInput, limit, null, args);

    /// <summary>Runs it as above, calling <paramref name="onChild"/> for each child the moment it is first seen (while it runs).</summary>
    public static async Task<PipelineProcess> RunAsync(string root, IReadOnlyDictionary<string, string> environment, string? standardInput,
        TimeSpan limit, Action<ChildProcess>? onChild, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MultiArch.Bench.Reliability.dll"));
        start.ArgumentList.Add("pipeline");
        start.ArgumentList.Add(root);
        foreach (var argument in args) start.ArgumentList.Add(argument);
        start.Environment.Clear();
        start.Environment["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "";
        start.Environment["HOME"] = System.Environment.GetEnvironmentVariable("HOME") ?? "/root";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment) start.Environment[name] = value;

        var run = new PipelineProcess();
        var output = new StringBuilder();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (standardInput is not null) await process.StandardInput.WriteAsync(standardInput);
        process.StandardInput.Close();

        var seen = new Dictionary<int, ChildProcess>();
        run.CommandLine = Read($"/proc/{process.Id}/cmdline").Replace('\0', ' ');
        var deadline = DateTime.UtcNow + limit;
        while (!process.HasExited && DateTime.UtcNow < deadline)
        {
            foreach (var pid in Descendants(process.Id).Where(p => !seen.ContainsKey(p)))
                if (Snapshot(pid) is { } child)
                {
                    seen[pid] = child;
                    onChild?.Invoke(child);
                }
            await Task.Delay(25);
        }
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        else run.ExitCode = process.ExitCode;
        await process.WaitForExitAsync();
        lock (output) run.Output = output.ToString();
        run.Children = [.. seen.Values];
        return run;
    }

    /// <summary>Pids whose command line holds <paramref name="text"/> (to find processes left behind).</summary>
    public static IReadOnlyList<int> Find(string text) =>
        Pids().Where(pid => Read($"/proc/{pid}/cmdline").Replace('\0', ' ').Contains(text, StringComparison.Ordinal)).ToList();

    static ChildProcess? Snapshot(int pid)
    {
        var environ = Read($"/proc/{pid}/environ");
        var name = Read($"/proc/{pid}/comm").Trim();
        // A process caught between fork and exec still shows the parent's (dotnet's) name: look again next round.
        if (name.Length == 0 || name == "dotnet" || name.StartsWith(".NET", StringComparison.Ordinal)) return null;
        return new ChildProcess(pid, name, Read($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim(),
            environ.Split('\0', StringSplitOptions.RemoveEmptyEntries));
    }

    static IEnumerable<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var pid in Pids())
        {
            // /proc/PID/stat: "pid (comm) state ppid ...": the name may hold spaces, so read after the last ')'.
            var stat = Read($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            if (close < 0) continue;
            var fields = stat[(close + 2)..].Split(' ');
            if (fields.Length > 1 && int.TryParse(fields[1], out var ppid)) parents[pid] = ppid;
        }
        foreach (var pid in parents.Keys)
            for (var p = pid; parents.TryGetValue(p, out var parent) && p != parent; p = parent)
                if (parent == root) { yield return pid; break; }
    }

    static IEnumerable<int> Pids() =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Select(n => int.TryParse(n, out var pid) ? pid : -1)
            .Where(pid => pid > 0);

    static string Read(string path)
    {
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
    }
}
