using System.Diagnostics;
using System.Text;

namespace MultiArch.Downstream.Tests;

/// <summary>
/// samples/downstream as a user has it: our src projects packed into a temporary feed under a unique version,
/// the sample copied to a temporary folder whose nuget.config names only that feed, and its build compiled once
/// by its own <c>build.sh</c> (the first <see cref="RunAsync"/>). Shared by the test class; deleted on dispose.
/// </summary>
public sealed class DownstreamSample : IAsyncLifetime
{
    /// <summary>The package version of this fixture's packs (unique, so no stale package cache is ever used).</summary>
    public string Version { get; } = "0.0.0-test." + Guid.NewGuid().ToString("N")[..10];

    /// <summary>The temporary folder holding the feed and the sample copy.</summary>
    public DirectoryInfo Directory { get; } = System.IO.Directory.CreateTempSubdirectory("multiarch-downstream-");

    /// <summary>The copy of samples/downstream.</summary>
    public string Root => Path.Combine(Directory.FullName, "sample");

    /// <summary>The feed the packages were packed into.</summary>
    public string Feed => Path.Combine(Directory.FullName, "feed");

    /// <summary>Why the packs failed, when they did (tests report it rather than each packing again).</summary>
    public string? PackFailure { get; private set; }

    /// <summary>Packs the src projects in one <c>dotnet pack</c> (a solution filter) and copies the sample.</summary>
    public async Task InitializeAsync()
    {
        var filter = Path.Combine(Directory.FullName, "packages.slnf");
        var projects = string.Join(", ", RepositoryRoot.PackedProjects.Select(p => $"\"src/{p}/{p}.csproj\""));
        await File.WriteAllTextAsync(filter,
            $$"""{ "solution": { "path": "{{Path.Combine(RepositoryRoot.Path, "MultiArch.sln")}}", "projects": [ {{projects}} ] } }""");
        // MinVer's own override: every package, and every dependency between them, gets the unique version.
        var pack = await RunProcessAsync("dotnet",
            ["pack", filter, "-c", "Release", "-o", Feed, $"-p:MinVerVersionOverride={Version}", "-nologo"],
            RepositoryRoot.Path, new Dictionary<string, string>());
        if (pack.ExitCode != 0) { PackFailure = pack.Output; return; }
        var template = await RunProcessAsync("dotnet", ["pack",
            Path.Combine(RepositoryRoot.Path, "templates", "MultiArch.Templates.csproj"),
            "-o", Feed, $"-p:MinVerVersionOverride={Version}", "-nologo"], RepositoryRoot.Path, new Dictionary<string, string>());
        if (template.ExitCode != 0) { PackFailure = template.Output; return; }

        CopyDirectory(Path.Combine(RepositoryRoot.Path, "samples", "downstream"), Root);
        await WriteNuGetConfigAsync(Root);
    }

    /// <summary>
    /// A copy of samples/<paramref name="name"/> (another sample than downstream) beside <see cref="Root"/>, with the same
    /// feed-only nuget.config; made on the first call. Run its build with <see cref="RunIn"/>.
    /// </summary>
    public async Task<string> CopyOfSampleAsync(string name)
    {
        var copy = Path.Combine(Directory.FullName, "sample-" + name);
        if (System.IO.Directory.Exists(copy)) return copy;
        CopyDirectory(Path.Combine(RepositoryRoot.Path, "samples", name), copy);
        await WriteNuGetConfigAsync(copy);
        return copy;
    }

    /// <summary>Writes a nuget.config naming only this fixture's feed into <paramref name="folder"/>.</summary>
    public async Task WriteNuGetConfigAsync(string folder)
    {
        if (PackFailure is not null) throw new InvalidOperationException("dotnet pack failed:\n" + PackFailure);
        // Only our feed: the third-party packages are in the global package cache already (tests stay offline).
        await File.WriteAllTextAsync(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="multiarch-test" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
    }

    /// <summary>Runs <c>./build.sh ARGS</c> in the sample copy with the fixture's package version.</summary>
    public Task<(int ExitCode, string Output)> RunAsync(IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null) =>
        RunIn(Root, arguments, environment);

    /// <summary>Runs <c>./build.sh ARGS</c> in <paramref name="root"/> with the fixture's package version.</summary>
    public async Task<(int ExitCode, string Output)> RunIn(string root, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        if (PackFailure is not null) throw new InvalidOperationException("dotnet pack failed:\n" + PackFailure);
        var env = new Dictionary<string, string> { ["MultiArchVersion"] = Version, ["NO_COLOR"] = "1" };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) env[name] = value;
        // One run at a time: the first compiles build/bin, and a parallel one would race it.
        await _oneRunAtATime.WaitAsync();
        try { return await RunProcessAsync("bash", [Path.Combine(root, "build.sh"), .. arguments], root, env); }
        finally { _oneRunAtATime.Release(); }
    }
    readonly SemaphoreSlim _oneRunAtATime = new(1, 1);

    /// <summary>Runs a process to completion and returns its exit code and its stdout and stderr together.</summary>
    public static async Task<(int ExitCode, string Output)> RunProcessAsync(string file, IEnumerable<string> arguments,
        string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        // The test host's own build variables would leak into the nested dotnet builds.
        foreach (var name in new[] { "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath", "DOTNET_HOST_PATH" })
            start.Environment.Remove(name);
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync();
        lock (output) return (process.ExitCode, output.ToString());
    }

    static void CopyDirectory(string source, string target)
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            // A developer's local build of the sample must not leak into the copy.
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "temp" or "artifacts")) continue;
            var destination = Path.Combine(target, relative);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }

    /// <summary>Deletes the feed and the sample copy.</summary>
    public Task DisposeAsync()
    {
        try { Directory.Delete(recursive: true); } catch (IOException) { /* a leftover temp folder is harmless */ }
        return Task.CompletedTask;
    }
}
