using MultiArch.Build;

namespace MultiArch.Hardening.Tests;

/// <summary>
/// One run of <see cref="HardeningBuild"/> as <c>./build.sh</c> runs it, in a fresh build root (with <c>.nuke/</c> and a
/// Dockerfile) and an explicit environment (PATH and HOME only, unless a test adds to it).
/// </summary>
public sealed class CommandRun : IDisposable
{
    /// <summary>Creates the build root.</summary>
    public CommandRun()
    {
        Root = Directory.CreateTempSubdirectory("multiarch-cli-").FullName;
        Directory.CreateDirectory(Path.Combine(Root, ".nuke"));
        File.WriteAllText(Path.Combine(Root, "Dockerfile"), "FROM scratch\n");
        Environment["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "";
        Environment["HOME"] = Root;
    }

    /// <summary>The build root.</summary>
    public string Root { get; }

    /// <summary>The environment the build sees.</summary>
    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>The exit code of the last run.</summary>
    public int ExitCode { get; private set; }

    /// <summary>Everything the last run printed.</summary>
    public string Output { get; private set; } = "";

    /// <summary>The lines holding <c>error: </c>.</summary>
    public IReadOnlyList<string> Errors => Output.Split('\n').Select(l => l.TrimEnd('\r').Trim())
        .Where(l => l.Contains("error: ", StringComparison.Ordinal)).ToList();

    /// <summary>Writes <c>.nuke/parameters.json</c>.</summary>
    public void WriteParameters(string json) => File.WriteAllText(Path.Combine(Root, ".nuke", "parameters.json"), json);

    /// <summary>Runs the build with these arguments (on a worker thread, as the engine blocks).</summary>
    public Task<int> RunAsync(params string[] args) => RunAsync<HardeningBuild>(args);

    /// <summary>Runs another build (the two-image <see cref="NewcomerBuild"/>, say) the same way.</summary>
    public async Task<int> RunAsync<TBuild>(params string[] args) where TBuild : TargetBuild, new()
    {
        var output = new StringWriter();
        var options = new BuildRunOptions { Output = TextWriter.Synchronized(output), Environment = Environment,
            RootDirectory = new AbsolutePath(Root) };
        ExitCode = await Task.Run(() => TargetBuild.Execute<TBuild>(args, options));
        Output = output.ToString();
        return ExitCode;
    }

    /// <summary>Deletes the build root.</summary>
    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
