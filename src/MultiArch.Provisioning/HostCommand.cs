using MultiArch.Processes;

namespace MultiArch.Provisioning;

/// <summary>Runs a system command for a step, and turns a failure into one line with the end of its output.</summary>
public static class HostCommand
{
    /// <summary>Runs <paramref name="program"/> and returns its standard output; throws with its last lines when it fails.</summary>
    /// <param name="program">The program, e.g. <c>apt-get</c>.</param>
    /// <param name="arguments">Its arguments, each passed as one (never through a shell).</param>
    /// <param name="environment">Extra environment variables.</param>
    /// <param name="workingDirectory">Where it runs; the current directory when null.</param>
    /// <param name="cancellationToken">Ends the command.</param>
    /// <exception cref="ProvisioningException">It exited non-zero or could not start.</exception>
    public static async Task<string> RunAsync(string program, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null,
        CancellationToken cancellationToken = default)
    {
        var args = arguments.ToList();
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(new ProcessCommand(program, args)
            {
                Environment = environment ?? new Dictionary<string, string?>(), WorkingDirectory = workingDirectory,
            }, cancellationToken);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ProvisioningException($"Could not run {program} ({e.Message}): is it installed?");
        }
        if (result.ExitCode == 0) return result.StandardOutput;
        // The error lines are on stderr; stdout's tail is the fallback (apt-get prints E: lines on stderr).
        throw new ProvisioningException($"`{program} {string.Join(' ', args.Take(3))}` exited with {result.ExitCode}: {result.Tail(3)}");
    }

    /// <summary>True when <paramref name="name"/> is an executable on PATH (or an existing absolute path).</summary>
    public static bool OnPath(string name) =>
        Path.IsPathRooted(name) ? File.Exists(name)
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Any(dir => File.Exists(Path.Combine(dir, name)));
}
