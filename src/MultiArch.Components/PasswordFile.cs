using System.Text;
using MultiArch.Build;

namespace MultiArch.Components;

/// <summary>
/// Reads a secret from a file or from standard input (<c>-</c>): the ways to hand one over that no other local user
/// can read, unlike a command line (<c>/proc/&lt;pid&gt;/cmdline</c>). Each problem is one line naming the file.
/// </summary>
static class PasswordFile
{
    /// <summary>The whole content of <paramref name="file"/> (or of standard input for <c>-</c>).</summary>
    /// <exception cref="BuildException">The file is missing, a folder or unreadable, or standard input is a terminal.</exception>
    public static string Read(string file)
    {
        const string Option = "--registry-password-file";
        if (file == "-")
        {
            // A terminal would wait for typing that no CI job does; a pipe or a redirected file is what is meant.
            if (!Console.IsInputRedirected)
                throw new BuildException($"{Option} -: standard input is a terminal: pipe the password in, e.g. printf %s \"$TOKEN\" | "
                    + $"./build.sh ... {Option} -.");
            using var stdin = new StreamReader(Console.OpenStandardInput(), Encoding.UTF8);
            return stdin.ReadToEnd();
        }
        var path = Path.GetFullPath(file);
        if (Directory.Exists(path)) throw new BuildException($"{Option} {file} is a folder, not a file: name "
            + "the file holding the password.");
        if (!File.Exists(path))
            throw new BuildException($"{Option} {file} does not exist: write the password into it (chmod 600), or pass "
                + "MULTIARCH_REGISTRY_PASSWORD in the environment.");
        try { return File.ReadAllText(path, Encoding.UTF8); }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new BuildException($"{Option} {file} cannot be read ({e.Message}): make it readable by this user.");
        }
    }
}
