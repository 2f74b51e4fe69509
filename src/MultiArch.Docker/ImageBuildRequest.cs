using MultiArch.Oci;

namespace MultiArch.Docker;

/// <summary>One image build for one platform: what to build, how to name it and where it goes.</summary>
public sealed record ImageBuildRequest
{
    /// <summary>The build context directory.</summary>
    public required string ContextDirectory { get; init; }

    /// <summary>The Dockerfile; a relative path is resolved from <see cref="ContextDirectory"/>.</summary>
    public required string Dockerfile { get; init; }

    /// <summary>The platform to build, e.g. linux/arm64 (emulated with QEMU when foreign).</summary>
    public required Platform Platform { get; init; }

    /// <summary>The tags to give the image. At least one is needed to push.</summary>
    public IReadOnlyList<ImageReference> Tags { get; init; } = [];

    /// <summary>Build arguments (<c>--build-arg</c>).</summary>
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    /// <summary>Image labels (<c>--label</c>), e.g. <c>org.opencontainers.image.revision</c>.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The stage to build (<c>--target</c>), or null for the last one.</summary>
    public string? Target { get; init; }

    /// <summary>Caches to import from.</summary>
    public IReadOnlyList<BuildCache> CacheFrom { get; init; } = [];

    /// <summary>Caches to export to (buildx only; the classic builder says it skips them).</summary>
    public IReadOnlyList<BuildCache> CacheTo { get; init; } = [];

    /// <summary>Push every tag to its registry after building (the result then carries the pushed digest).</summary>
    public bool Push { get; init; }

    /// <summary>
    /// The login for a push from the build to the first tag's registry (buildx), or null to use the user's docker config; it goes
    /// through <c>docker login --password-stdin</c>, never a command line. The classic builder's <c>docker push</c> ignores it.
    /// </summary>
    public RegistryCredentials? PushCredentials { get; init; }

    /// <summary>How long the login before a push may take (the build itself has no budget).</summary>
    public TimeSpan LoginTimeout { get; init; } = DockerCli.DefaultPushTimeout;

    /// <summary>
    /// Build with the host network. Turned on automatically when the engine has no <c>bridge</c> network
    /// (an engine started with <c>--bridge=none</c>), where <c>RUN</c> steps would otherwise fail.
    /// </summary>
    public bool NetworkHost { get; init; }

    /// <summary>
    /// An image that this Dockerfile's <c>FROM</c> uses and that exists only in the local engine (the output of a
    /// previous stage, such as BuildBase). It is checked before building, and buildx builds on a builder that can see it.
    /// </summary>
    public string? LocalBaseImage { get; init; }

    /// <summary>The Dockerfile's full path.</summary>
    public string DockerfilePath => Path.GetFullPath(Dockerfile, Path.GetFullPath(ContextDirectory));

    /// <summary>Checks the input before anything runs.</summary>
    /// <exception cref="DockerInputException">A path does not exist, or a push has no tag.</exception>
    public void Validate()
    {
        var context = Path.GetFullPath(ContextDirectory);
        if (!Directory.Exists(context))
            throw new DockerInputException(
                $"Build context directory '{context}' does not exist: create it, " +
                "or set the context to the folder that holds the files the Dockerfile copies.");
        if (!File.Exists(DockerfilePath))
            throw new DockerInputException(
                $"Dockerfile '{DockerfilePath}' does not exist: create it, " +
                $"or point Dockerfile at an existing file (a relative path starts at '{context}').");
        if (Push && Tags.Count == 0)
            throw new DockerInputException(
                $"Build of '{DockerfilePath}' for {Platform} is set to push but has no tag: " +
                $"add a tag such as registry/owner/name:1.0.0-{Platform.Pair}.");
    }
}
