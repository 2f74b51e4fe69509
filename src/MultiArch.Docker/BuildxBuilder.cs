namespace MultiArch.Docker;

/// <summary>The active buildx builder as <c>docker buildx inspect</c> reports it.</summary>
/// <param name="Name">The builder name, e.g. <c>default</c> or <c>builder-3f2a</c>.</param>
/// <param name="Driver">The driver: <c>docker</c>, <c>docker-container</c>, <c>kubernetes</c> or <c>remote</c>.</param>
public sealed record BuildxBuilder(string Name, string Driver)
{
    /// <summary>
    /// True when the builder runs inside the engine and so sees images that exist only in the local engine.
    /// Every other driver runs BuildKit elsewhere and resolves a <c>FROM</c> from a registry.
    /// </summary>
    public bool SeesLocalImages => Driver == "docker";

    /// <summary>Reads the first <c>Name:</c> and <c>Driver:</c> lines of <c>docker buildx inspect</c> output.</summary>
    /// <exception cref="FormatException">The text has no <c>Driver:</c> line.</exception>
    public static BuildxBuilder Parse(string inspectOutput)
    {
        string? Field(string key) => inspectOutput.Split('\n')
            .Select(line => line.Trim())
            .FirstOrDefault(line => line.StartsWith(key + ":", StringComparison.Ordinal))?[(key.Length + 1)..].Trim();
        var driver = Field("Driver") ?? throw new FormatException(
            $"'docker buildx inspect' printed no 'Driver:' line: {inspectOutput.Split('\n')[0]}");
        return new BuildxBuilder(Field("Name") ?? "default", driver);
    }
}
