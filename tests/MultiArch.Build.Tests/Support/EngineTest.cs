using System.Linq.Expressions;

namespace MultiArch.Build.Tests.Support;

/// <summary>
/// Base of every engine test: a temporary root folder (with <c>.nuke/</c>), an explicit environment (never the
/// process's), and <see cref="Run{T}"/> which executes a build through the engine's public entry point.
/// </summary>
public abstract class EngineTest : IDisposable
{
    /// <summary>The build's root folder, deleted after the test.</summary>
    protected AbsolutePath Root { get; } = new(Path.Combine(Path.GetTempPath(), "multiarch-engine-" + Guid.NewGuid().ToString("N")));

    /// <summary>The environment the build sees; empty unless a test adds to it.</summary>
    protected Dictionary<string, string> Environment { get; } = [];

    /// <summary>Creates the root and a fresh journal.</summary>
    protected EngineTest()
    {
        Directory.CreateDirectory(Root / ".nuke");
        Journal.Start();
    }

    /// <summary>Runs build <typeparamref name="T"/> with these arguments and no default target.</summary>
    protected BuildResult Run<T>(params string[] args) where T : TargetBuild, new() => RunWithDefault<T>(args);

    /// <summary>Runs build <typeparamref name="T"/> with these arguments and default targets.</summary>
    protected BuildResult RunWithDefault<T>(string[] args, params Expression<Func<T, Target>>[] defaults) where T : TargetBuild, new()
    {
        var journal = Journal.Start();
        var output = new StringWriter();
        var exitCode = TargetBuild.Execute(
            args,
            new BuildRunOptions { Output = output, Environment = Environment, RootDirectory = Root },
            defaults);
        return new BuildResult(exitCode, output.ToString(), journal.Entries);
    }

    /// <summary>Writes <c>.nuke/parameters.json</c>.</summary>
    protected void WriteParametersJson(string json) => File.WriteAllText(Root / ".nuke" / "parameters.json", json);

    /// <inheritdoc />
    public void Dispose()
    {
        if (Root.DirectoryExists()) Directory.Delete(Root, recursive: true);
        GC.SuppressFinalize(this);
    }
}
