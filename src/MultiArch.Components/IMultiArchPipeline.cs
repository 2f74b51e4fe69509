using MultiArch.Build;
using MultiArch.Workflows;
using MultiArch.Workflows.Local;
using MultiArch.Docker;
using MultiArch.Oci;
using MultiArch.Oci.Tagging;

namespace MultiArch.Components;

/// <summary>
/// What every pipeline target shares: the images, the parameters, and how a partition (image x platform) maps to
/// references and tags. The six targets are the components deriving from it; <see cref="IMultiArchImage"/> brings all.
/// A pipeline also runs its generated workflows here (<see cref="IRunWorkflowsLocally"/>), so a build that adds
/// <c>IGitHubWorkflows</c> has <c>RunWorkflowLocally</c> without naming another component.
/// </summary>
public interface IMultiArchPipeline : IBuild, IPartitionSource, IDescribesMatrixAxes, IRunWorkflowsLocally
{
    /// <summary>The matrix axes of the per-platform targets.</summary>
    public const string ImageAxis = "image", PlatformAxis = "platform";

    /// <summary>The image of a single-image build. Override this, or <see cref="Images"/> for several.</summary>
    ImageDefinition Image => throw new BuildException($"{Build.GetType().Name} declares no image: override "
        + $"'ImageDefinition Image => new(\"owner/name\") {{ Dockerfile = ... }}' (or Images for several).");

    /// <summary>Every image this build publishes.</summary>
    IReadOnlyList<ImageDefinition> Images => [Image];

    /// <summary>The registry host, parsed once: a value without a dot or a port (not localhost) is refused.</summary>
    [Parameter("Registry host, e.g. ghcr.io; default: the image's own, else 127.0.0.1:5000 (started when none runs)")]
    Oci.RegistryHost? Registry => TryGetValue(() => Registry);

    /// <summary>
    /// Every registry each image is published to, host[/namespace]: the per-arch images are pushed once, to the first;
    /// MergeManifest pushes the index there and then mirrors it, with the same digest, to the others.
    /// </summary>
    [Parameter("Registries to publish every image to, host[/namespace], e.g. ghcr.io/acme docker.io/acme: per-arch images go to the first, "
        + "the index is mirrored to the others (same digest); default: the build's DefaultRegistries, else --registry")]
    string[]? Registries => TryGetValue(() => Registries);

    /// <summary>The registries a build publishes to when --registries is not given; override, e.g. <c>["ghcr.io/acme",
    /// "docker.io/acme"]</c>.</summary>
    IReadOnlyList<string> DefaultRegistries => [];

    /// <summary>
    /// --registries (else <see cref="DefaultRegistries"/>), parsed once; empty means the one registry of --registry.
    /// --registry alone replaces the build's default list (to try a release against one local registry).
    /// </summary>
    sealed IReadOnlyList<Oci.Mirroring.PublishRegistry> PublishRegistries
    {
        get
        {
            if (Registries is { Length: > 0 } && Registry is { } host)
                throw new BuildException($"--registry {host} and --registries {string.Join(' ', Registries)} are both given: pass one (the "
                    + "first of --registries gets the per-arch images).");
            var given = Registries is { Length: > 0 } listed ? listed : Registry is null ? DefaultRegistries : [];
            var parsed = new List<Oci.Mirroring.PublishRegistry>();
            foreach (var text in given)
            {
                try { parsed.Add(Oci.Mirroring.PublishRegistry.Parse(text)); }
                catch (OciInputException e) { throw new BuildException(e.Message); }
            }
            if (parsed.GroupBy(r => r.ToString(), StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
                throw new BuildException($"--registries lists {twice.Key} twice: list each registry once.");
            return parsed;
        }
    }

    /// <summary>Which images to build, by declared name or repository; never a place to publish to.</summary>
    [Parameter("Images to build, by name (hello) or declared repository (acme/hello); default: all", Name = "Image")]
    string[]? ImageName => TryGetValue(() => ImageName);

    /// <summary>The docker client every command runs, when the first on PATH is not the one to use.</summary>
    [Parameter("The docker client to use; default: the first with buildx (PATH, /usr/bin/docker, /usr/local/bin/docker), else "
        + "/usr/bin/docker. A client without BuildKit is refused", Name = "DockerCli")]
    string? DockerClient => TryGetValue(() => DockerClient);

    /// <summary>Publish the one selected image under another repository path (a fork, a staging namespace).</summary>
    [Parameter("Publish the selected image under this repository path instead of its declared one, e.g. me/hello; needs exactly one image")]
    string? Repository => TryGetValue(() => Repository);

    /// <summary>
    /// The version, parsed once (<c>v1.4.0</c> is <c>1.4.0</c>): per-arch tags are <c>version-arch</c>; a release
    /// adds major.minor, major and latest.
    /// </summary>
    [Parameter("Image version; v1.2.3 and 1.2.3 are the same; default: the exact git tag, else dev")]
    ImageVersion Version => TryGetValue(() => Version)
        ?? (PipelineContext.Of(Build).Git(Build).ExactTag is { } tag ? ParseGitTag(tag) : ImageVersion.Parse("dev"));

    /// <summary>Which platforms to build; a CI leg passes exactly one.</summary>
    [Parameter("Platforms to build (os/arch[/variant]); default: each image's own, else linux/amd64 linux/arm64")]
    Platform[]? Platform => TryGetValue(() => Platform);

    /// <summary>Where ExportDigest writes and MergeManifest reads the per-platform digest records.</summary>
    [Parameter("Folder of per-platform digest records (ExportDigest writes, MergeManifest reads); default artifacts/digests")]
    AbsolutePath DigestsDirectory => TryGetValue(() => DigestsDirectory) ?? Build.RootDirectory / "artifacts" / "digests";

    /// <summary>Print what would be pushed or deleted, and change nothing.</summary>
    [Parameter("Push nothing to the registry: builds, pushes the per-arch images to a throwaway loopback registry to check them, prints "
        + "every push and the index it would make; CleanupUntagged deletes nothing")]
    bool DryRun => TryGetValue<bool?>(() => DryRun) ?? false;

    /// <summary>Registry user name.</summary>
    [Parameter("Registry user name; default: GITHUB_ACTOR for ghcr.io, else ~/.docker/config.json")]
    string? RegistryUsername => TryGetValue(() => RegistryUsername) ?? (Naming.PublishesToGhcr(Images[0])
        ? Build.Environment.GetValueOrDefault("GITHUB_ACTOR") : null);

    /// <summary>Registry password or token: given, else read from --registry-password-file, else GITHUB_TOKEN for ghcr.io.</summary>
    [Parameter("Registry password or token. Pass it in the environment (MULTIARCH_REGISTRY_PASSWORD) or with --registry-password-file: " +
               "on the command line it is visible to every local user in /proc/<pid>/cmdline. Default: GITHUB_TOKEN for "
                   + "ghcr.io, else ~/.docker/config.json"), Secret]
    string? RegistryPassword => TryGetValue(() => RegistryPassword) is { Length: > 0 } given
        ? RegistryPasswordFile is { } file
            ? throw new BuildException("A registry password (--registry-password or MULTIARCH_REGISTRY_PASSWORD) and "
                + $"--registry-password-file {file} are both given: pass one of them.")
            : given
        : PipelineContext.Of(Build).PasswordFromFile(Build, RegistryPasswordFile)
          ?? (Naming.PublishesToGhcr(Images[0]) ? Build.Environment.GetValueOrDefault("GITHUB_TOKEN") : null);

    /// <summary>Where to read the registry password: a file, or <c>-</c> for standard input.</summary>
    [Parameter("File holding the registry password (a trailing line break is dropped); - reads it from "
        + "standard input, e.g. printf %s \"$TOKEN\" | ./build.sh ... --registry-password-file -")]
    string? RegistryPasswordFile => TryGetValue(() => RegistryPasswordFile);

    /// <summary>Hosts that may be spoken to over plain HTTP (loopback always may).</summary>
    [Parameter("Registries reachable only over plain HTTP (loopback hosts always are)")]
    string[] InsecureRegistries => TryGetValue(() => InsecureRegistries) ?? [];

    /// <summary>Raw extra tags for the merged image.</summary>
    [Parameter("Extra tags for the multi-arch image, besides the version rules")]
    string[] ExtraTags => TryGetValue(() => ExtraTags) ?? [];

    /// <summary>
    /// The index's tag rules, typed after docker/metadata-action's <c>tags</c> and <c>flavor</c>. Override to tag by
    /// branch, pull request or schedule, e.g. <c>new(new TagRule.Ref(RefEvent.Branch), new TagRule.Ref(RefEvent.Pr), new
    /// TagRule.Semver("{{version}}"))</c>;
    /// the default is the version, for a release <c>1.2</c>, <c>1</c> and <c>latest</c>, then <c>sha-&lt;7&gt;</c>.
    /// </summary>
    Tags Tags => Tags.Default;

    /// <summary>
    /// What the tag rules read for this run: GitHub's event, ref, commit and default branch in Actions; locally the
    /// exact git tag, else the checked-out branch, and the commit.
    /// </summary>
    sealed TagContext TagContext
    {
        get
        {
            var git = PipelineContext.Of(Build).Git(Build);
            var context = TagContext.FromGitHub(Build.Environment);
            return context with
            {
                Ref = context.Ref ?? (git.ExactTag is { } tag ? new GitRef.Tag(tag) : git.Branch is { } branch
                    ? new GitRef.Branch(branch) : null),
                Sha = context.Sha ?? git.Revision,
                CommitDate = git.CommitTime,
            };
        }
    }

    /// <summary>The platforms every release of <paramref name="image"/> holds: its own, else linux/amd64 and linux/arm64.</summary>
    sealed IReadOnlyList<Platform> DeclaredPlatforms(ImageDefinition image) => image.Platforms
        ?? [Oci.Platform.LinuxAmd64, Oci.Platform.LinuxArm64];

    /// <summary>The platforms of <paramref name="image"/> this run builds: its declared ones, narrowed by --platform.</summary>
    sealed IReadOnlyList<Platform> PlatformsOf(ImageDefinition image) =>
        RequestedPlatforms is { } requested ? DeclaredPlatforms(image).Where(requested.Contains).ToList() : DeclaredPlatforms(image);

    /// <summary>--platform, parsed and checked once: each given once, each declared by a selected image.</summary>
    sealed IReadOnlyList<Platform>? RequestedPlatforms
    {
        get
        {
            if (Platform is not { } given) return null;
            var requested = given.ToList(); // parsed once, by the engine, at start-up
            // Before any build starts: two lanes of one platform would build it twice, and the merge would refuse it after.
            if (requested.GroupBy(p => p).FirstOrDefault(g => g.Count() > 1) is { } twice)
                throw new BuildException($"--platform {twice.Key} is given twice: list each platform once.");
            var images = SelectedImages;
            // Valid but declared by none: planning zero lanes would fail later with an unrelated message.
            if (requested.FirstOrDefault(p => !images.Any(i => DeclaredPlatforms(i).Contains(p))) is { } undeclared)
                throw new BuildException($"--platform {undeclared}: no {(images.Count == 1 ? "" : "selected ")}image "
                    + $"declares it ({string.Join("; ", images.Select(i => $"{i.Name}: {string.Join(", ", DeclaredPlatforms(i))}"))}). "
                    + "Pick one of those, or add it to the image's Platforms.");
            return requested;
        }
    }

    /// <summary>The images this run builds: all, or those --image names (by name or declared repository).</summary>
    sealed IReadOnlyList<ImageDefinition> SelectedImages => ImageSelection.Select(Images, ImageName, Repository);

    /// <summary>The image axis is the selected images, the platform axis every platform one of them builds; other
    /// axes (a build's own, e.g. variant) come from their array parameters.</summary>
    IReadOnlyList<string>? IPartitionSource.AxisValues(string axis) =>
        axis.Equals(ImageAxis, StringComparison.OrdinalIgnoreCase) ? SelectedImages.Select(i => i.Name).ToList()
        : axis.Equals(PlatformAxis, StringComparison.OrdinalIgnoreCase)
            ? SelectedImages.SelectMany(PlatformsOf).Distinct().Select(p => p.ToString()).ToList()
            : null;

    /// <summary>The platform axis becomes a leg per platform on its runner, with platform_pair and the QEMU keys.</summary>
    IReadOnlyList<MatrixAxis> IDescribesMatrixAxes.MatrixAxes => [PlatformMatrixAxis.Instance];

    /// <summary>Per-image platform sets are a filter: an image x platform cell exists only when the image builds it,
    /// so two images with different platforms give their own cells, never the full product.</summary>
    bool IPartitionSource.Keeps(Partition cell) =>
        !cell.Values.TryGetValue(ImageAxis, out var name) || !cell.Values.TryGetValue(PlatformAxis, out var platform)
        || PlatformsOf(SelectedImages.First(i => i.Name == name)).Any(p => p.ToString() == platform);

    /// <summary>The image and platform of a partition.</summary>
    sealed (ImageDefinition Image, Platform Platform) Resolve(Partition partition) =>
        // The partition holds a platform GetPartitions wrote: found among the parsed ones, not parsed again.
        SelectedImages.First(i => i.Name == partition[ImageAxis]) is var image
        && DeclaredPlatforms(image).FirstOrDefault(p => p.ToString() == partition[PlatformAxis]) is { } platform
            ? (image, platform)
            : throw new BuildException($"Partition '{partition}': image {image.Name} does not declare platform {partition[PlatformAxis]}.");

    /// <summary>Where this run publishes and under which names; the members below ask it, and so does every target.</summary>
    sealed PipelineNaming Naming => new(() => Version, Registry,
        () => Repository is { } path && SelectedImages is [var only] ? (only.Name, path)
            : null) { Tags = Tags, Registries = PublishRegistries };

    /// <summary>The registry host of an image: --registry, else the host in its repository, else 127.0.0.1:5000.</summary>
    sealed string RegistryHost(ImageDefinition image) => Naming.RegistryHost(image);

    /// <summary>The image's repository (no tag) in the registry this run publishes to.</summary>
    sealed ImageReference RepositoryOf(ImageDefinition image) => Naming.RepositoryOf(image);

    /// <summary>The per-arch tag reference, e.g. <c>127.0.0.1:5000/acme/app:1.2.3-arm64</c>.</summary>
    sealed ImageReference ArchReference(ImageDefinition image, Platform platform) => Naming.ArchReference(image, platform);

    /// <summary>The per-arch tag, e.g. <c>1.2.3-arm64</c>.</summary>
    sealed string ArchTag(Platform platform) => Naming.ArchTag(platform);

    /// <summary>The local tag of the base stage, unique per platform, revision and run (GITHUB_RUN_ID in CI).</summary>
    sealed string BaseTag(ImageDefinition image, Platform platform) => Naming.BaseTag(image, platform,
        PipelineContext.Of(Build).Git(Build).Revision, Build.Environment.GetValueOrDefault("GITHUB_RUN_ID")
            ?? PipelineContext.Of(Build).RunId);

    /// <summary>A registry client for a host, with this run's credentials.</summary>
    sealed RegistryClient RegistryClientFor(string host) => PipelineContext.Of(Build).Registry(host, () =>
        host == PipelineContext.Of(Build).ScratchHost
        ? new RegistryClientOptions() // the dry run's throwaway registry: never sent the target's credentials
        : new RegistryClientOptions
        {
            Credentials = RegistryCredentials.Resolve(host, RegistryUsername, RegistryPassword),
            InsecureRegistries = InsecureRegistries,
        });

    /// <summary>
    /// A client for a mirror (a registry after the first of --registries): its own credentials from the Docker config
    /// or a credential helper (what docker/login-action writes), never the first registry's --registry-password.
    /// The first registry's host is the first registry's client.
    /// </summary>
    sealed RegistryClient MirrorClientFor(string host, string primaryHost) =>
        string.Equals(host, primaryHost, StringComparison.OrdinalIgnoreCase)
        ? RegistryClientFor(host)
        : PipelineContext.Of(Build).Registry(host, () => new RegistryClientOptions
        {
            // The build's DOCKER_CONFIG (docker/login-action's config in CI), read as the Docker CLI would.
            Credentials = RegistryCredentials.Resolve(host, null, null,
                Build.Environment.GetValueOrDefault("DOCKER_CONFIG") is { Length: > 0 } config
                    ? Path.Combine(config, "config.json") : null),
            InsecureRegistries = InsecureRegistries,
        });

    /// <summary>The default registry is started on demand, so a first run needs no account and no setup.</summary>
    sealed async Task EnsureRegistryAsync(ImageDefinition image)
    {
        if (RegistryHost(image) != LocalRegistry.DefaultHost) return;
        if (await LocalRegistry.EnsureRunningAsync(LocalRegistry.DefaultHost, withheld: PipelineContext.Of(Build).Withheld,
            cancellationToken: Build.Cancellation) is { } started)
            Build.Log.Info(started);
    }

    // A git tag that is not a version (a docs tag, say) must not fail a run that passes no --version.
    static ImageVersion ParseGitTag(string tag)
    {
        try { return ImageVersion.Parse(tag); }
        catch (OciInputException e) { throw new BuildException($"The commit's git tag '{tag}' is not a usable version ({e.Message}); "
            + "pass --version."); }
    }
}
