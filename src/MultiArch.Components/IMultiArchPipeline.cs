using MultiArch.Build;
using MultiArch.Docker;
using MultiArch.Oci;

namespace MultiArch.Components;

/// <summary>
/// What every pipeline target shares: the images, the parameters, and how a partition (image x platform) maps to
/// references and tags. The six targets are the components deriving from it; <see cref="IMultiArchImage"/> brings all.
/// </summary>
public interface IMultiArchPipeline : IBuild, IPartitionSource
{
    /// <summary>The matrix axes of the per-platform targets.</summary>
    public const string ImageAxis = "image", PlatformAxis = "platform";

    /// <summary>The image of a single-image build. Override this, or <see cref="Images"/> for several.</summary>
    ImageDefinition Image => throw new BuildException($"{Build.GetType().Name} declares no image: override 'ImageDefinition Image => new(\"owner/name\") {{ Dockerfile = ... }}' (or Images for several).");

    /// <summary>Every image this build publishes.</summary>
    IReadOnlyList<ImageDefinition> Images => [Image];

    /// <summary>The registry host, parsed once: a value without a dot or a port (not localhost) is refused.</summary>
    [Parameter("Registry host, e.g. ghcr.io; default: the image's own, else 127.0.0.1:5000 (started when none runs)")]
    Oci.RegistryHost? Registry => TryGetValue(() => Registry);

    /// <summary>The repository path (single-image builds), or which image to build (several images).</summary>
    [Parameter("The name of one image to build (a CI leg passes it), or a repository path such as acme/server to publish the image (in a build with several, the first) there", Name = "Image")]
    string? ImageName => TryGetValue(() => ImageName);

    /// <summary>The version: per-arch tags are <c>version-arch</c>; semver adds major.minor, major and latest.</summary>
    [Parameter("Image version; default: the exact git tag (v1.2.3 gives 1.2.3), else dev")]
    string Version => TryGetValue(() => Version) is { } given
        ? string.IsNullOrWhiteSpace(given)
            ? throw new BuildException("--version is empty: pass a version such as 1.2.3, or leave --version out for the default (the exact git tag, else dev).")
            : VersionCheck.Checked(given, "--version")
        : VersionCheck.Checked(PipelineContext.Of(Build).Git(Build).TagVersion ?? "dev", "the git tag");

    /// <summary>Which platforms to build; a CI leg passes exactly one.</summary>
    [Parameter("Platforms to build (os/arch[/variant]); default: each image's own, else linux/amd64 linux/arm64")]
    string[]? Platform => TryGetValue(() => Platform);

    /// <summary>Where ExportDigest writes and MergeManifest reads the per-platform digest records.</summary>
    [Parameter("Folder of per-platform digest records (ExportDigest writes, MergeManifest reads); default artifacts/digests")]
    AbsolutePath DigestsDirectory => TryGetValue(() => DigestsDirectory) ?? Build.RootDirectory / "artifacts" / "digests";

    /// <summary>Print what would be pushed or deleted, and change nothing.</summary>
    [Parameter("MergeManifest prints the index and pushes no tag; CleanupUntagged lists and deletes nothing (per-arch images are still pushed: the merge checks read them)")]
    bool DryRun => TryGetValue<bool?>(() => DryRun) ?? false;

    /// <summary>Registry user name.</summary>
    [Parameter("Registry user name; default: GITHUB_ACTOR for ghcr.io, else ~/.docker/config.json")]
    string? RegistryUsername => TryGetValue(() => RegistryUsername) ?? (IsGhcr(RegistryHost(Images[0])) ? Build.Environment.GetValueOrDefault("GITHUB_ACTOR") : null);

    /// <summary>Registry password or token: given, else read from --registry-password-file, else GITHUB_TOKEN for ghcr.io.</summary>
    [Parameter("Registry password or token. Pass it in the environment (REGISTRY_PASSWORD) or with --registry-password-file: " +
               "on the command line it is visible to every local user in /proc/<pid>/cmdline. Default: GITHUB_TOKEN for ghcr.io, else ~/.docker/config.json"), Secret]
    string? RegistryPassword => TryGetValue(() => RegistryPassword) is { Length: > 0 } given
        ? RegistryPasswordFile is { } file
            ? throw new BuildException($"A registry password (--registry-password or REGISTRY_PASSWORD) and --registry-password-file {file} are both given: pass one of them.")
            : given
        : PipelineContext.Of(Build).PasswordFromFile(Build, RegistryPasswordFile)
          ?? (IsGhcr(RegistryHost(Images[0])) ? Build.Environment.GetValueOrDefault("GITHUB_TOKEN") : null);

    /// <summary>Where to read the registry password: a file, or <c>-</c> for standard input.</summary>
    [Parameter("File holding the registry password (a trailing line break is dropped); - reads it from standard input, e.g. printf %s \"$TOKEN\" | ./build.sh ... --registry-password-file -")]
    string? RegistryPasswordFile => TryGetValue(() => RegistryPasswordFile);

    /// <summary>Hosts that may be spoken to over plain HTTP (loopback always may).</summary>
    [Parameter("Registries reachable only over plain HTTP (loopback hosts always are)")]
    string[] InsecureRegistries => TryGetValue(() => InsecureRegistries) ?? [];

    /// <summary>Raw extra tags for the merged image.</summary>
    [Parameter("Extra tags for the multi-arch image, besides the version rules")]
    string[] ExtraTags => TryGetValue(() => ExtraTags) ?? [];

    /// <summary>The platforms of <paramref name="image"/> this run builds: its own (or the defaults), narrowed by --platform.</summary>
    IReadOnlyList<Platform> PlatformsOf(ImageDefinition image)
    {
        var requested = Platform?.Select(ParsePlatform).ToList();
        // Before any build starts: two lanes of one platform would build it twice, and the merge would refuse it after.
        if (requested?.GroupBy(p => p).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new BuildException($"--platform {twice.Key} is given twice: list each platform once.");
        var own = image.Platforms;
        if (own is null) return requested ?? [Oci.Platform.LinuxAmd64, Oci.Platform.LinuxArm64];
        if (requested is null) return own;
        var missing = requested.Where(p => !own.Contains(p)).ToList();
        if (missing.Count > 0 && Images.Count == 1)
            throw new BuildException($"--platform {string.Join(" ", missing)}: image '{image.Name}' has only {string.Join(", ", own)}. Pick one of those or add it to the image's Platforms.");
        return own.Where(requested.Contains).ToList();
    }

    /// <summary>The images this run builds (narrowed by --image in a build with several).</summary>
    IReadOnlyList<ImageDefinition> SelectedImages
    {
        get
        {
            var images = Images;
            if (images.Select(i => i.Name).Distinct().Count() != images.Count)
                throw new BuildException($"Two images share the name '{images.GroupBy(i => i.Name).First(g => g.Count() > 1).Key}'. Give each ImageDefinition its own Name.");
            if (images.Count == 1 || ImageName is null) return images;
            var selected = images.Where(i => i.Name == ImageName).ToList();
            // A repository path rather than a name: the first (primary) image, published under that path.
            if (selected.Count == 0 && ImageName.Contains('/')) return [images[0]];
            return selected.Count > 0 ? selected
                : throw new BuildException($"--image {ImageName}: no such image.{DidYouMean.Suggest(ImageName, images.Select(i => i.Name))} The images are {string.Join(", ", images.Select(i => i.Name))}.");
        }
    }

    /// <summary>Image x platform, in declaration order: the lanes of the per-platform targets and the CI matrix legs.</summary>
    IReadOnlyList<Partition> IPartitionSource.GetPartitions(IReadOnlyList<string> axes) =>
        SelectedImages.SelectMany(image => PlatformsOf(image).Select(platform => new Partition(axes.Select(axis =>
            new KeyValuePair<string, string>(axis, axis.Equals(ImageAxis, StringComparison.OrdinalIgnoreCase) ? image.Name : platform.ToString()))))).ToList();

    /// <summary>The image and platform of a partition.</summary>
    (ImageDefinition Image, Platform Platform) Resolve(Partition partition) =>
        (SelectedImages.First(i => i.Name == partition[ImageAxis]), Oci.Platform.Parse(partition[PlatformAxis]));

    /// <summary>The registry host of an image: --registry, else the host in its repository, else 127.0.0.1:5000.</summary>
    string RegistryHost(ImageDefinition image) => Registry?.Value ?? SplitRepository(image.Repository).Host ?? LocalRegistry.DefaultHost;

    /// <summary>The image's repository (no tag) in the registry this run publishes to.</summary>
    ImageReference RepositoryOf(ImageDefinition image)
    {
        // --image names an image (a CI leg) or overrides the repository path of the one image this run selected.
        var overridden = ImageName is { } value && Images.All(i => i.Name != value) && SelectedImages is [var only] && only.Name == image.Name ? value : null;
        var path = overridden ?? SplitRepository(image.Repository).Path;
        return ImageReference.Create(RegistryHost(image), path);
    }

    /// <summary>The per-arch tag reference, e.g. <c>127.0.0.1:5000/acme/app:1.2.3-arm64</c>.</summary>
    ImageReference ArchReference(ImageDefinition image, Platform platform) => RepositoryOf(image).WithTag($"{Version}-{platform.Pair}");

    /// <summary>The local tag of the base stage: unique per platform, revision and run, so parallel runs never collide.</summary>
    string BaseTag(ImageDefinition image, Platform platform)
    {
        var revision = PipelineContext.Of(Build).Git(Build).Revision is { Length: >= 7 } r ? r[..7] : "norev";
        var runId = Build.Environment.GetValueOrDefault("GITHUB_RUN_ID") ?? PipelineContext.Of(Build).RunId;
        var repository = RepositoryOf(image);
        // Internal, so never the user's problem: a long version is replaced by its hash to keep the tag within 128 characters.
        var version = $"{Version}-{platform.Pair}-{revision}-{runId}".Length <= VersionCheck.MaxTagLength ? Version : VersionCheck.Hash(Version);
        return $"{repository.Name}-base:{version}-{platform.Pair}-{revision}-{runId}";
    }

    /// <summary>A registry client for a host, with this run's credentials.</summary>
    RegistryClient RegistryClientFor(string host) => PipelineContext.Of(Build).Registry(host, () => new RegistryClientOptions
    {
        Credentials = RegistryCredentials.Resolve(host, RegistryUsername, RegistryPassword),
        InsecureRegistries = InsecureRegistries,
    });

    /// <summary>The default registry is started on demand, so a first run needs no account and no setup.</summary>
    async Task EnsureRegistryAsync(ImageDefinition image)
    {
        if (RegistryHost(image) != LocalRegistry.DefaultHost) return;
        if (await LocalRegistry.EnsureRunningAsync(LocalRegistry.DefaultHost, withheld: PipelineContext.Of(Build).Withheld, cancellationToken: Build.Cancellation) is { } started)
            Build.Log.Info(started);
    }

    // Partitions are computed outside any target, where only a BuildException becomes one line instead of a crash.
    static Platform ParsePlatform(string text)
    {
        try { return Oci.Platform.Parse(text); }
        catch (OciInputException e) { throw new BuildException($"--platform: {e.Message}"); }
    }

    /// <summary>Whether a host is GitHub's container registry.</summary>
    static bool IsGhcr(string host) => host.Equals("ghcr.io", StringComparison.OrdinalIgnoreCase);

    // "ghcr.io/acme/app" has a host; "acme/app" does not (a first segment with a dot, a colon or localhost is a host).
    static (string? Host, string Path) SplitRepository(string repository)
    {
        var slash = repository.IndexOf('/');
        if (slash > 0 && repository[..slash] is var first && (first.Contains('.') || first.Contains(':') || first == "localhost"))
            return (first, repository[(slash + 1)..]);
        return (null, repository);
    }
}
