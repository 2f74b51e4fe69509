using System.Runtime.CompilerServices;
using Xunit.Sdk;

namespace MultiArch.Testing;

/// <summary>
/// Approval tests for text the product writes (workflows, reference pages, help, plans): the output is compared with a
/// reviewed file next to the test. No snapshot library is served here (Verify.Xunit does not restore), so this is ours.
/// On a difference it writes <c>&lt;file&gt;.received</c> beside the approved file and fails naming the first differing
/// line; <c>UPDATE_GOLDEN=1</c> accepts every received output instead. Line endings are normalised to <c>\n</c>.
/// </summary>
public static class Approval
{
    /// <summary>True when this run accepts the received outputs (<c>UPDATE_GOLDEN=1</c>).</summary>
    public static bool Accepting => Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1";

    /// <summary>
    /// Checks <paramref name="received"/> against <c>&lt;folder&gt;/&lt;name&gt;</c>, the folder relative to the calling test file.
    /// </summary>
    public static void Verify(string received, string name, string folder = "Approved", [CallerFilePath] string caller = "") =>
        VerifyFile(received, Path.Combine(Path.GetDirectoryName(caller)!, folder, name));

    /// <summary>Checks <paramref name="received"/> against the approved file at <paramref name="approvedPath"/>.</summary>
    public static void VerifyFile(string received, string approvedPath)
    {
        received = received.ReplaceLineEndings("\n");
        var receivedPath = approvedPath + ".received";
        if (Accepting)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(approvedPath)!);
            File.WriteAllText(approvedPath, received);
            File.Delete(receivedPath);
            return;
        }
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : null;
        if (approved == received)
        {
            File.Delete(receivedPath);
            return;
        }
        File.WriteAllText(receivedPath, received);
        throw new XunitException(approved is null
            ? $"{approvedPath} does not exist; review {receivedPath} and accept it with UPDATE_GOLDEN=1."
            : $"{Path.GetFileName(approvedPath)} differs: {FirstDifference(approved, received)}. "
              + $"Review `diff {approvedPath} {receivedPath}`, then accept with UPDATE_GOLDEN=1.");
    }

    /// <summary>Checks a folder of outputs against an approved folder: same file names, same contents; accepting
    /// replaces the approved files matching <paramref name="pattern"/>.</summary>
    public static void VerifyFolder(string receivedFolder, string approvedFolder, string pattern = "*")
    {
        var received = Directory.GetFiles(receivedFolder, pattern).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        if (Accepting)
            foreach (var stale in Directory.GetFiles(approvedFolder, pattern).Where(f => !received.Contains(Path.GetFileName(f))))
                File.Delete(stale);
        var approved = Directory.GetFiles(approvedFolder, pattern).Where(f => !f.EndsWith(".received", StringComparison.Ordinal))
            .Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        if (!Accepting && !approved.SequenceEqual(received))
            throw new XunitException($"{approvedFolder} has [{string.Join(", ", approved)}] but the output has " +
                $"[{string.Join(", ", received)}]: "
                                     + "accept with UPDATE_GOLDEN=1 after review.");
        foreach (var file in received)
            VerifyFile(File.ReadAllText(Path.Combine(receivedFolder, file!)), Path.Combine(approvedFolder, file!));
    }

    static string FirstDifference(string approved, string received)
    {
        var a = approved.Split('\n');
        var r = received.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, r.Length); i++)
        {
            var expected = i < a.Length ? a[i] : "(end of file)";
            var actual = i < r.Length ? r[i] : "(end of file)";
            if (expected != actual) return $"line {i + 1} is `{Clip(actual)}`, approved `{Clip(expected)}`";
        }
        return "only line endings differ";
    }

    static string Clip(string line) => line.Length <= 100 ? line : line[..100] + "…";
}
