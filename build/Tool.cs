using System.Diagnostics;
using MultiArch.Build;

/// <summary>Runs a command line, streaming its output through the build log (so secrets stay masked).</summary>
static class Tool
{
    public static int Run(BuildLog log, string fileName, string arguments, string workingDirectory, bool check,
        CancellationToken cancellation)
    {
        log.Write($"> {fileName} {arguments}");
        var start = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // MSBuild would read the build's own parameters (VERSION, PLATFORM) from the environment as properties.
        foreach (var name in new[] { "VERSION", "PLATFORM", "CONFIGURATION" }) start.Environment.Remove(name);
        using var process = Process.Start(start) ?? throw new Exception($"Could not start {fileName}; is it installed and on PATH?");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Write(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Write(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using (cancellation.Register(() => { try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }))
            process.WaitForExit();
        cancellation.ThrowIfCancellationRequested();
        if (check && process.ExitCode != 0) throw new Exception($"'{fileName} {arguments.Split(' ')[0]}' exited with code "
            + $"{process.ExitCode}; see its output above.");
        return process.ExitCode;
    }
}
