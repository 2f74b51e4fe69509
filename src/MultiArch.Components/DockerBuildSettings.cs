namespace MultiArch.Components;

/// <summary>
/// What a build target is about to pass to the image builder. Change it by overriding the component's settings hook,
/// not the target: <c>Configure&lt;DockerBuildSettings&gt; IBuildApp.BuildAppSettings =&gt; s =&gt; s.BuildArg("NODE_ENV",
/// "production");</c>.
/// </summary>
public sealed class DockerBuildSettings
{
    /// <summary>The image being built.</summary>
    public required ImageDefinition Image { get; init; }
    /// <summary>The platform being built.</summary>
    public required Oci.Platform Platform { get; init; }
    /// <summary>Build arguments.</summary>
    public Dictionary<string, string> BuildArgs { get; } = new(StringComparer.Ordinal);
    /// <summary>Image labels.</summary>
    public Dictionary<string, string> Labels { get; } = new(StringComparer.Ordinal);
    /// <summary>Build only up to this stage.</summary>
    public string? TargetStage { get; set; }

    /// <summary>Adds or replaces a build argument.</summary>
    public DockerBuildSettings BuildArg(string name, string value) { BuildArgs[name] = value; return this; }
    /// <summary>Adds or replaces a label.</summary>
    public DockerBuildSettings Label(string name, string value) { Labels[name] = value; return this; }
}
