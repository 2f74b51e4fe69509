using System.Formats.Tar;
using System.Text.Json;
using MultiArch.Oci;

namespace MultiArch.Docker;

/// <summary>
/// Asks the engine whether it can execute a platform's binaries: loads a one-file image (FROM scratch, holding
/// <see cref="ExitZeroExecutable"/> for that platform) and runs it with <c>--platform</c>, no network and no pull.
/// Nothing comes from a registry, so the answer does not depend on one being up. Unlike BuildKit's own check
/// (util/archutil/check_unix.go runs its binaries on the host in a chroot) this runs in the engine, so it answers for
/// the engine the build uses, wherever that is.
/// </summary>
public sealed class PlatformProbe(DockerCli cli)
{
    /// <summary>The local repository the probe images are loaded under; the tag is the platform's pair, e.g. <c>arm-v7</c>.</summary>
    public const string Repository = "multiarch/exec-probe";

    static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;

    /// <summary>The local tag of <paramref name="platform"/>'s probe image.</summary>
    public static string Tag(Platform platform) => $"{Repository}:{platform.Pair}";

    /// <summary>Loads the probe image for <paramref name="platform"/> and runs it.</summary>
    /// <returns>Whether the container exited 0, and if not the engine's error line.</returns>
    /// <exception cref="DockerCommandException">The engine could not even load the image (nothing about the platform).</exception>
    public async Task<ProbeOutcome> RunAsync(Platform platform, CancellationToken cancellationToken = default)
    {
        var archive = Path.Combine(Path.GetTempPath(), $"multiarch-exec-probe-{platform.Pair}-{Guid.NewGuid():N}.tar");
        try
        {
            await File.WriteAllBytesAsync(archive, DockerArchive(platform), cancellationToken);
            // Loading again is cheap (a few hundred bytes) and the image ID is the same every time.
            await cli.ExecuteAsync($"docker load ({Tag(platform)})", ["load", "--quiet", "--input", archive], null, cancellationToken);
        }
        finally { File.Delete(archive); }
        try
        {
            await cli.ExecuteAsync($"docker run {Tag(platform)}",
                ["run", "--rm", "--pull", "never", "--platform", platform.ToString(), "--network", "none", Tag(platform)],
                null, cancellationToken);
            return ProbeOutcome.Success;
        }
        catch (DockerCommandException failure) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeOutcome.Failed(Reason(failure));
        }
    }

    // The engine's own words, e.g. "exec format error", without the step prefix DockerCli adds.
    static string Reason(DockerCommandException failure)
    {
        var line = failure.OutputTail.LastOrDefault(l => l.Trim().Length > 0) ?? failure.Message;
        return line.Length <= 160 ? line.Trim() : line[..157].Trim() + "...";
    }

    /// <summary>
    /// A <c>docker save</c> archive (manifest.json, config, one layer) of the probe image for
    /// <paramref name="platform"/>.
    /// </summary>
    public static byte[] DockerArchive(Platform platform)
    {
        var layer = Layer(ExitZeroExecutable.For(platform));
        var config = Config(platform, Digest.Compute(layer));
        var configName = Digest.Compute(config).Hex + ".json";
        var layerName = Digest.Compute(layer).Hex + "/layer.tar";
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new[]
        {
            new Dictionary<string, object> { ["Config"] = configName, ["RepoTags"] = new[] { Tag(platform) },
                ["Layers"] = new[] { layerName } },
        });
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Ustar, leaveOpen: true))
        {
            Add(writer, TarEntryType.Directory, layerName[..layerName.IndexOf('/')] + "/", null);
            Add(writer, TarEntryType.RegularFile, layerName, layer);
            Add(writer, TarEntryType.RegularFile, configName, config);
            Add(writer, TarEntryType.RegularFile, "manifest.json", manifest);
        }
        return buffer.ToArray();
    }

    static byte[] Layer(byte[] executable)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Ustar, leaveOpen: true))
            Add(writer, TarEntryType.RegularFile, "exit0", executable, (UnixFileMode)0b111_101_101);
        return buffer.ToArray();
    }

    static void Add(TarWriter writer, TarEntryType type, string name, byte[]? content, UnixFileMode mode = (UnixFileMode)0b110_100_100)
    {
        var entry = new UstarTarEntry(type, name)
        {
            Mode = type == TarEntryType.Directory ? (UnixFileMode)0b111_101_101 : mode, ModificationTime = Epoch, Uid = 0, Gid = 0,
        };
        if (content is not null) entry.DataStream = new MemoryStream(content);
        writer.WriteEntry(entry);
    }

    static byte[] Config(Platform platform, Digest diffId) => ImageConfig.Create(platform, [diffId], Epoch, config =>
    {
        config.WriteStartArray("Entrypoint"); config.WriteStringValue("/exit0"); config.WriteEndArray();
        config.WriteStartObject("Labels");
        config.WriteString("org.opencontainers.image.description", "MultiArch's exit(0) probe: can this engine run " + platform + "?");
        config.WriteEndObject();
    });
}
