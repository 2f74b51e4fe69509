using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using MultiArch.Oci;

namespace MultiArch.Provisioning;

/// <summary>
/// A multi-platform busybox image built from Debian's <c>busybox-static</c> packages and pushed as one OCI index
/// under two tags, for machines with no Docker Hub. No Docker is involved: each platform is one gzip layer made
/// here (busybox, a symlink per applet, /etc/passwd) with a config, so the same packages give the same digests.
/// </summary>
/// <param name="registry">The registry host, e.g. <c>127.0.0.1:5000</c>.</param>
/// <param name="repository">The repository, e.g. <c>multiarch/busybox</c>.</param>
/// <param name="tags">The tags of the index, e.g. <c>1.35</c> and <c>latest</c>.</param>
/// <param name="platforms">The platforms, each with a Debian architecture (linux/amd64, linux/arm64, linux/arm/v7).</param>
public sealed class DebianBusyboxImage(string registry, string repository, IReadOnlyList<string> tags, IReadOnlyList<Platform> platforms)
    : ProvisioningStep
{
    static readonly DateTimeOffset Epoch = DateTimeOffset.FromUnixTimeSeconds(0);

    /// <summary>The reference of the first tag, e.g. <c>127.0.0.1:5000/multiarch/busybox:1.35</c>.</summary>
    public string Reference => $"{registry}/{repository}:{tags[0]}";

    /// <inheritdoc/>
    public override string Name => "base image";

    /// <inheritdoc/>
    public override IReadOnlyList<string> Needs => ["registry"];

    /// <summary>Debian's name for a platform's architecture (linux/arm/v7 is armhf).</summary>
    public static string DebianArchitecture(Platform platform) => (platform.Architecture, platform.Variant) switch
    {
        ("amd64", _) => "amd64",
        ("arm64", _) => "arm64",
        ("arm", "v7") => "armhf",
        ("arm", "v5" or "v6") => "armel",
        ("386", _) => "i386",
        ("ppc64le", _) => "ppc64el",
        ("s390x", _) => "s390x",
        ("riscv64", _) => "riscv64",
        _ => throw new ProvisioningException($"No Debian architecture builds busybox for {platform}; pick linux/amd64, " +
            "linux/arm64, linux/arm/v7 or another Debian port."),
    };

    /// <inheritdoc/>
    public override async Task<StepCheck> CheckAsync(ProvisioningContext context, CancellationToken cancellationToken)
    {
        using var client = Client();
        var expected = platforms.Order().ToList();
        foreach (var tag in tags)
        {
            var found = await PlatformsAsync(client, tag, cancellationToken);
            if (found is null || !found.Order().SequenceEqual(expected))
                return StepCheck.Lacks($"{registry}/{repository}:{tag} for {string.Join(", ", expected)}");
        }
        foreach (var platform in platforms)
            if (await client.HeadManifestAsync(repository, ChildTag(platform), cancellationToken) is null)
                return StepCheck.Lacks($"{registry}/{repository}:{ChildTag(platform)}");
        return StepCheck.Ok($"{Reference} present ({string.Join(", ", expected)})");
    }

    /// <inheritdoc/>
    public override async Task<string> ProvideAsync(ProvisioningContext context, StepCheck missing, CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("multiarch-busybox.");
        try
        {
            var native = DebianArchitecture(QemuBinfmt.HostPlatform);
            foreach (var platform in platforms)
                if (DebianArchitecture(platform) is var arch && arch != native) await Apt.AddArchitectureAsync(arch, cancellationToken);
            var debs = await context.Apt.DownloadAsync(platforms.Select(p => "busybox-static:" + DebianArchitecture(p)),
                work.FullName, cancellationToken);

            using var client = Client();
            var children = new List<Descriptor>();
            string? version = null;
            IReadOnlyList<string>? applets = null;
            foreach (var platform in platforms)
            {
                var arch = DebianArchitecture(platform);
                var deb = debs.SingleOrDefault(d => Path.GetFileName(d).EndsWith($"_{arch}.deb", StringComparison.Ordinal))
                    ?? throw new ProvisioningException($"apt-get download gave no busybox-static for {arch}.");
                var extracted = Path.Combine(work.FullName, arch);
                await HostCommand.RunAsync("dpkg-deb", ["-x", deb, extracted], cancellationToken: cancellationToken);
                version ??= (await HostCommand.RunAsync("dpkg-deb", ["-f", deb, "Version"], cancellationToken: cancellationToken)).Trim();
                children.Add(await PushPlatformAsync(client, platform, Path.Combine(extracted, "bin", "busybox"), version,
                    applets ??= await AppletsAsync(debs, work.FullName, native, cancellationToken), cancellationToken));
            }
            var index = ManifestDocument.FromBytes(new ImageIndex(MediaTypes.OciIndex, children).ToJson(), MediaTypes.OciIndex);
            // By digest first, so no tag ever points at an index the registry does not hold whole.
            await client.PutManifestAsync(repository, index.Digest.ToString(), index, cancellationToken);
            foreach (var tag in tags) await client.PutManifestAsync(repository, tag, index, cancellationToken);
            return $"built {Reference}@{index.Digest.ToString()[..19]}… ({string.Join(", ", platforms)}) from busybox-static " +
                $"{version}, also tagged {string.Join(", ", tags.Skip(1))}";
        }
        finally { work.Delete(recursive: true); }
    }

    string ChildTag(Platform platform) => $"{tags[0]}-{platform.Pair}";

    RegistryClient Client() => new(registry, new RegistryClientOptions { InsecureRegistries = [registry] });

    async Task<IReadOnlyList<Platform>?> PlatformsAsync(RegistryClient client, string tag, CancellationToken cancellationToken)
    {
        if (await client.HeadManifestAsync(repository, tag, cancellationToken) is null) return null;
        var document = await client.GetManifestAsync(repository, tag, cancellationToken);
        return document.IsIndex ? document.AsIndex().Manifests.Where(m => m.Platform is not null).Select(m => m.Platform!).ToList() : null;
    }

    // The applet list comes from running the native package's busybox: the Debian builds share one configuration.
    static async Task<IReadOnlyList<string>> AppletsAsync(IReadOnlyList<string> debs, string work, string native,
        CancellationToken cancellationToken)
    {
        var binary = Path.Combine(work, native, "bin", "busybox");
        if (!File.Exists(binary))
        {
            var deb = debs.Single(d => Path.GetFileName(d).EndsWith($"_{native}.deb", StringComparison.Ordinal));
            await HostCommand.RunAsync("dpkg-deb", ["-x", deb, Path.Combine(work, native)], cancellationToken: cancellationToken);
        }
        return (await HostCommand.RunAsync(binary, ["--list"], cancellationToken: cancellationToken))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(a => a != "busybox" && !a.Contains('/')).Order(StringComparer.Ordinal).ToList();
    }

    async Task<Descriptor> PushPlatformAsync(RegistryClient client, Platform platform, string busybox, string version,
        IReadOnlyList<string> applets, CancellationToken cancellationToken)
    {
        var tar = RootFilesystem(await File.ReadAllBytesAsync(busybox, cancellationToken), applets);
        var layer = Gzip(tar);
        var layerDescriptor = await client.PushBlobAsync(repository, layer, MediaTypes.OciLayerGzip, cancellationToken: cancellationToken);
        var config = Config(platform, Digest.Compute(tar), version);
        var configDescriptor = await client.PushBlobAsync(repository, config, MediaTypes.OciConfig, cancellationToken: cancellationToken);
        var manifest = new ImageManifest(MediaTypes.OciManifest, configDescriptor, [layerDescriptor]);
        var document = ManifestDocument.FromBytes(manifest.ToJson(), MediaTypes.OciManifest);
        await client.PutManifestAsync(repository, document.Digest.ToString(), document, cancellationToken);
        // Each child under its own tag too (1.35-arm64), for a Dockerfile that wants one platform without an index.
        await client.PutManifestAsync(repository, ChildTag(platform), document, cancellationToken);
        return document.ToDescriptor(platform);
    }

    // A fixed time and owner on every entry: the layer's bytes depend on the package alone.
    static byte[] RootFilesystem(byte[] busybox, IReadOnlyList<string> applets)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Ustar, leaveOpen: true))
        {
            const UnixFileMode Directory = (UnixFileMode)0b111_101_101, Executable = (UnixFileMode)0b111_101_101,
                File = (UnixFileMode)0b110_100_100;
            void Add(TarEntryType type, string name, UnixFileMode mode, byte[]? content = null, string? link = null)
            {
                var entry = new UstarTarEntry(type, name) { Mode = mode, ModificationTime = Epoch, Uid = 0, Gid = 0 };
                if (link is not null) entry.LinkName = link;
                if (content is not null) entry.DataStream = new MemoryStream(content);
                writer.WriteEntry(entry);
            }
            foreach (var dir in new[] { "bin/", "etc/", "root/" }) Add(TarEntryType.Directory, dir, Directory);
            Add(TarEntryType.Directory, "tmp/", (UnixFileMode)0b1_111_111_111); // 1777: sticky, world-writable
            Add(TarEntryType.RegularFile, "bin/busybox", Executable, busybox);
            foreach (var applet in applets) Add(TarEntryType.SymbolicLink, "bin/" + applet, (UnixFileMode)0b111_111_111, link: "busybox");
            Add(TarEntryType.RegularFile, "etc/passwd", File,
                "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"u8.ToArray());
            Add(TarEntryType.RegularFile, "etc/group", File, "root:x:0:\nnogroup:x:65534:\n"u8.ToArray());
        }
        return buffer.ToArray();
    }

    static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(content);
        return buffer.ToArray();
    }

    static byte[] Config(Platform platform, Digest diffId, string version)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("architecture", platform.Architecture);
            writer.WriteString("os", platform.Os);
            if (platform.Variant is not null) writer.WriteString("variant", platform.Variant);
            writer.WriteString("created", Epoch.ToString("yyyy-MM-ddTHH:mm:ssZ"));
            writer.WriteStartObject("config");
            writer.WriteStartArray("Env"); writer.WriteStringValue("PATH=/bin"); writer.WriteEndArray();
            writer.WriteStartArray("Cmd"); writer.WriteStringValue("/bin/sh"); writer.WriteEndArray();
            writer.WriteStartObject("Labels");
            writer.WriteString("org.opencontainers.image.description", $"busybox-static {version} from Debian (built by " +
                "MultiArch's LocalServices)");
            writer.WriteString("org.opencontainers.image.version", version);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteStartObject("rootfs");
            writer.WriteString("type", "layers");
            writer.WriteStartArray("diff_ids"); writer.WriteStringValue(diffId.ToString()); writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
