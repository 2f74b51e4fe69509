using MultiArch.Processes;

namespace MultiArch.Workflows.Local;

// A run: step's script under bash, as the hosted Linux runner runs it, with ::add-mask:: honoured.
public sealed partial class LocalWorkflowRunner
{
    // The workflow-command escapes the runner undoes in a command's data (%0D, %0A, %25).
    static string UnescapeData(string text) => text.Replace("%0D", "\r").Replace("%0A", "\n").Replace("%25", "%");

    static async Task<int> BashAsync(string script, string directory, Dictionary<string, string> env, Action<string> log,
        SecretMasker masker, CancellationToken cancellation)
    {
        // GitHub's default shell for run steps on Linux.
        var gate = new object();
        // Lines arrive unmasked (no Masker here): an ::add-mask:: line must be read before it is hidden; log masks the rest.
        void OnLine(string line, bool _)
        {
            if (line.StartsWith("::add-mask::", StringComparison.Ordinal))
            {
                masker.Add(UnescapeData(line["::add-mask::".Length..]));
                return;
            }
            lock (gate) log(line);
        }
        // Cancelled, the runner kills bash with everything it started.
        var result = await ProcessRunner.RunAsync(new ProcessCommand("bash", ["--noprofile", "--norc", "-eo", "pipefail", script])
        {
            WorkingDirectory = directory, Environment = env.ToDictionary(x => x.Key, x => (string?)x.Value), Output = OnLine,
        }, cancellation);
        return result.ExitCode;
    }
}
