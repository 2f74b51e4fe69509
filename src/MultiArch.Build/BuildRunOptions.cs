namespace MultiArch.Build;

/// <summary>How a build is run: output, environment and root; null means the process's own.</summary>
public sealed record BuildRunOptions
{
    /// <summary>Where lines go (default: the console).</summary>
    public TextWriter? Output { get; init; }
    /// <summary>The environment (default: the process environment).</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }
    /// <summary>The root folder (default: the nearest folder with .nuke/).</summary>
    public AbsolutePath? RootDirectory { get; init; }
}
