using System.Diagnostics;
using MultiArch.Oci;

namespace MultiArch.Testing;

/// <summary>skopeo as an independent verifier: what a registry really stores, read by a different client.</summary>
public static class Skopeo
{
    // Written once per process and never rewritten: parallel tests must not see it half-written.
    private static readonly Lazy<string> EmptyAuthFile = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), $"multiarch-skopeo-auth-{Environment.ProcessId}.json");
        File.WriteAllText(path, "{}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(path);
        return path;
    });

    /// <summary>
    /// Runs <c>skopeo inspect --raw --tls-verify=false docker://REFERENCE</c> and returns the manifest JSON exactly as stored.
    /// </summary>
    /// <exception cref="InvalidOperationException">skopeo failed (the message carries its stderr, never the password).</exception>
    public static async Task<string> InspectRawAsync(string reference, RegistryCredentials? credentials = null,
        CancellationToken cancellationToken = default)
    {
        ServiceRequirement.Require(Service.Skopeo);
        var start = new ProcessStartInfo("skopeo")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var argument in new[] { "inspect", "--raw", "--tls-verify=false" }) start.ArgumentList.Add(argument);
        if (credentials is not null)
        {
            start.ArgumentList.Add("--creds");
            start.ArgumentList.Add($"{credentials.Username}:{credentials.Password}");
        }
        start.ArgumentList.Add("docker://" + reference);
        // Keep skopeo away from the developer's real auth files.
        start.Environment["REGISTRY_AUTH_FILE"] = EmptyAuthFile.Value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            var message = (await error).Trim();
            if (credentials is not null) message = message.Replace(credentials.Password, "***");
            throw new InvalidOperationException($"skopeo inspect {reference} exited with {process.ExitCode}: {message}");
        }
        return await output;
    }
}
