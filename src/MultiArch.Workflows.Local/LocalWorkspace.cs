using MultiArch.Processes;

namespace MultiArch.Workflows.Local;

/// <summary>
/// Gives a leg its workspace: a copy of what a checkout would contain (tracked plus untracked, not ignored, files
/// when the folder is a git work tree; every file otherwise), so legs only share what artifacts carry.
/// </summary>
public static class LocalWorkspace
{
    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="destination"/>, leaving out <paramref name="exclude"/> (the run's own folders),
    /// and returns the destination.
    /// </summary>
    public static string Copy(string source, string destination, params string[] exclude)
    {
        Directory.CreateDirectory(destination);
        var excluded = exclude.Select(e => Path.TrimEndingDirectorySeparator(Path.GetFullPath(e)) + Path.DirectorySeparatorChar).ToList();
        foreach (var relative in Files(source))
        {
            var from = Path.Combine(source, relative);
            if (!File.Exists(from)) continue; // deleted but still in the index
            // Never copy earlier legs, or the cache folder, into later legs.
            if (excluded.Any(e => Path.GetFullPath(from).StartsWith(e, StringComparison.Ordinal))) continue;
            var to = Path.Combine(destination, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(from, to, overwrite: true);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(to, File.GetUnixFileMode(from)); // keep build.sh executable
            // mtimes are not kept: a checkout's files are all new, and the bootstrap's up-to-date check must cope.
        }
        return destination;
    }

    static IEnumerable<string> Files(string source)
    {
        try
        {
            var git = ProcessRunner.Run(new ProcessCommand("git", ["-C", source, "ls-files", "-co", "--exclude-standard", "-z"]));
            if (git.ExitCode == 0) return git.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // git is not installed: fall back to copying everything.
        }
        return Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(source, f));
    }
}
