using System.Diagnostics;

namespace MultiArch.Workflows;

/// <summary>
/// Gives a leg its workspace: a copy of what a checkout would contain (tracked plus untracked, not ignored, files
/// when the folder is a git work tree; every file otherwise), so legs only share what artifacts carry.
/// </summary>
public static class LocalWorkspace
{
    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/>, leaving out <paramref name="exclude"/> (the run's own folder), and returns the destination.</summary>
    public static string Copy(string source, string destination, string exclude, IEnumerable<string>? carryOver = null)
    {
        Directory.CreateDirectory(destination);
        var excluded = Path.TrimEndingDirectorySeparator(Path.GetFullPath(exclude)) + Path.DirectorySeparatorChar;
        foreach (var relative in Files(source).Concat((carryOver ?? []).SelectMany(path => Under(source, path))))
        {
            var from = Path.Combine(source, relative);
            if (!File.Exists(from)) continue; // deleted but still in the index
            if (Path.GetFullPath(from).StartsWith(excluded, StringComparison.Ordinal)) continue; // never copy earlier legs into later ones
            var to = Path.Combine(destination, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(from, to, overwrite: true);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(to, File.GetUnixFileMode(from)); // keep build.sh executable
            File.SetLastWriteTimeUtc(to, File.GetLastWriteTimeUtc(from)); // "changed since the last compile" must stay false
        }
        // Folders too: build.sh's staleness check (find -newer) also sees folders, which were all just created.
        foreach (var folder in Directory.EnumerateDirectories(destination, "*", SearchOption.AllDirectories).OrderByDescending(f => f.Length).ToList())
        {
            var from = Path.Combine(source, Path.GetRelativePath(destination, folder));
            if (Directory.Exists(from)) Directory.SetLastWriteTimeUtc(folder, Directory.GetLastWriteTimeUtc(from));
        }
        return destination;
    }

    // A carried-over file, or every file under a carried-over folder, relative to the workspace.
    static IEnumerable<string> Under(string source, string relative)
    {
        var full = Path.Combine(source, relative);
        if (File.Exists(full)) return [relative];
        return Directory.Exists(full) ? Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(source, f)) : [];
    }

    static IEnumerable<string> Files(string source)
    {
        try
        {
            var git = Process.Start(new ProcessStartInfo("git", ["-C", source, "ls-files", "-co", "--exclude-standard", "-z"])
            {
                RedirectStandardOutput = true, RedirectStandardError = true,
            })!;
            var output = git.StandardOutput.ReadToEnd();
            git.StandardError.ReadToEnd();
            git.WaitForExit();
            if (git.ExitCode == 0) return output.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // git is not installed: fall back to copying everything.
        }
        return Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(source, f));
    }
}
