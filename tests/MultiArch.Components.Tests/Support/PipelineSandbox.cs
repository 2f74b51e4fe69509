using System.Diagnostics;
using MultiArch.Build;
using MultiArch.Oci;
using MultiArch.Testing;

namespace MultiArch.Components.Tests;

/// <summary>
/// One test's world for the pipeline: its own registry on a random port, a throwaway git repository as the build
/// root (so labels have a revision, a commit time and a source), its own digests folder and a unique version.
/// Tests in parallel never share a tag, and none writes to 127.0.0.1:5000 (only the busybox base is read there).
/// Disposing stops the registry, deletes the files and untags every local image named after this registry.
/// </summary>
public sealed class PipelineSandbox : IAsyncDisposable
{
    /// <summary>The source URL the throwaway repository's origin points at.</summary>
    public const string SourceUrl = "https://github.com/multiarch-tests/hello";

    readonly DirectoryInfo _directory;

    PipelineSandbox(RegistryProcess registry, DirectoryInfo directory, string revision)
    {
        (Registry, _directory, Revision) = (registry, directory, revision);
        Version = "t" + Guid.NewGuid().ToString("N")[..10];
    }

    /// <summary>The registry this sandbox publishes to.</summary>
    public RegistryProcess Registry { get; }

    /// <summary>The unique image version of this sandbox.</summary>
    public string Version { get; }

    /// <summary>HEAD of the throwaway repository (the revision label).</summary>
    public string Revision { get; }

    /// <summary>The build root: a git repository with one commit.</summary>
    public AbsolutePath Root => new(Path.Combine(_directory.FullName, "root"));

    /// <summary>The digests folder runs use unless a test passes its own.</summary>
    public AbsolutePath DigestsDirectory => new(Path.Combine(_directory.FullName, "digests"));

    /// <summary>The repository path the test build publishes.</summary>
    public const string RepositoryPath = "multiarch/hello";

    /// <summary>A tag of the published image, e.g. <c>127.0.0.1:PORT/multiarch/hello:t1a2b-arm64</c>.</summary>
    public string Reference(string tag) => $"{Registry.Host}/{RepositoryPath}:{tag}";

    /// <summary>Starts the registry and creates the repository.</summary>
    public static async Task<PipelineSandbox> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("multiarch-pipeline-");
        var root = Directory.CreateDirectory(Path.Combine(directory.FullName, "root")).FullName;
        // A fixed author and date: every sandbox gets the same revision, so labels (and BuildKit's cache) match.
        Git(root, "init", "-q");
        Git(root, "remote", "add", "origin", SourceUrl + ".git");
        Git(root, "-c", "user.name=MultiArch Tests", "-c", "user.email=tests@multiarch.invalid",
            "commit", "-q", "--allow-empty", "-m", "fixture");
        var revision = Git(root, "rev-parse", "HEAD");
        var registry = await RegistryProcess.StartAsync();
        return new PipelineSandbox(registry, directory, revision);
    }

    /// <summary>A new empty folder inside the sandbox (a broken app, a matrix leg's digests).</summary>
    public AbsolutePath Folder(string name) => new(Directory.CreateDirectory(Path.Combine(_directory.FullName, name)).FullName);

    /// <summary>
    /// Runs <see cref="HelloBuild"/> in this process, as <c>./build.sh</c> would, with this sandbox's registry,
    /// version and digests folder (unless <paramref name="arguments"/> names its own).
    /// </summary>
    public Task<PipelineRun> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var args = WithSandboxArguments(arguments);
        var env = BuildEnvironment();
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) env[name] = value;
        // Off the test's thread: Execute blocks until the whole pipeline is done.
        return Task.Run(() =>
        {
            var output = new StringWriter();
            var synchronized = TextWriter.Synchronized(output);
            var exit = TargetBuild.Execute<HelloBuild>(
                [.. args], new BuildRunOptions { Output = synchronized, Environment = env, RootDirectory = Root });
            return new PipelineRun(exit, output.ToString());
        });
    }

    /// <summary>Runs this repository's own <c>./build.sh</c> (the acceptance command) against this sandbox's registry.</summary>
    public async Task<PipelineRun> RunScriptAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(RepositoryRoot.Path / "build.sh")
        {
            WorkingDirectory = RepositoryRoot.Path, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var argument in WithSandboxArguments(arguments)) start.ArgumentList.Add(argument);
        foreach (var name in start.Environment.Keys.Where(IsGitHubVariable).ToList()) start.Environment.Remove(name);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Generous: build.sh compiles the build project first when another session changed a source file.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"./build.sh {string.Join(' ', start.ArgumentList)} ran over 10 minutes:\n{output}");
        }
        process.WaitForExit(); // drains the output events
        lock (output) return new PipelineRun(process.ExitCode, output.ToString());
    }

    /// <summary>The tags of the image in this sandbox's registry.</summary>
    public async Task<IReadOnlyList<string>> TagsAsync()
    {
        using var client = Registry.CreateClient();
        return await client.ListTagsAsync(RepositoryPath);
    }

    /// <summary>The digest records in a digests folder (and its subfolders).</summary>
    public static IReadOnlyList<DigestRecord> Records(AbsolutePath folder) =>
        folder.DirectoryExists() && Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories).Any()
            ? DigestDirectory.Read(folder)
            : [];

    /// <summary>Stops the registry, deletes the files, and untags this registry's images in the local engine.</summary>
    public async ValueTask DisposeAsync()
    {
        await Registry.DisposeAsync();
        await LocalImages.RemoveAsync(Registry.Host + "/");
        try { _directory.Delete(recursive: true); } catch (IOException) { }
    }

    IReadOnlyList<string> WithSandboxArguments(IEnumerable<string> arguments)
    {
        var args = arguments.ToList();
        if (!args.Contains("--registry") && !args.Contains("--registries")) args.AddRange(["--registry", Registry.Host]);
        if (!args.Contains("--version")) args.AddRange(["--version", Version]);
        if (!args.Contains("--digests-directory")) args.AddRange(["--digests-directory", DigestsDirectory]);
        return args;
    }

    // The process's environment without GitHub's variables: in Actions they would replace the sandbox's git facts
    // and send the summary to the real job.
    static Dictionary<string, string> BuildEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Where(e => !IsGitHubVariable((string)e.Key))
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");

    static bool IsGitHubVariable(string name) => name.StartsWith("GITHUB_", StringComparison.Ordinal);

    static string Git(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["GIT_AUTHOR_DATE"] = start.Environment["GIT_COMMITTER_DATE"] = "2026-01-02T03:04:05Z";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} exited with {process.ExitCode}: {error}");
        return output.Trim();
    }
}
