using System.Formats.Tar;
using MultiArch.Docker;

namespace MultiArch.Hardening.Tests;

/// <summary>
/// A tiny image in the local engine under one reference (what BuildApp leaves for PushArch), made with
/// <c>docker import</c> from a one-file tarball: no base image and no network needed. Disposing untags it.
/// </summary>
public sealed class LocalImage : IAsyncDisposable
{
    readonly DockerCli _cli;

    LocalImage(DockerCli cli, string reference) => (_cli, Reference) = (cli, reference);

    /// <summary>The reference it is tagged with, e.g. <c>127.0.0.1:PORT/multiarch/hardening:1.0.0-amd64</c>.</summary>
    public string Reference { get; }

    /// <summary>Imports an image holding one file with <paramref name="content"/> and tags it <paramref name="reference"/>.</summary>
    public static async Task<LocalImage> CreateAsync(string reference, string content)
    {
        var cli = await DockerCli.LocateAsync();
        var folder = Directory.CreateTempSubdirectory("multiarch-image-");
        try
        {
            Directory.CreateDirectory(Path.Combine(folder.FullName, "rootfs"));
            File.WriteAllText(Path.Combine(folder.FullName, "rootfs", "hello.txt"), content);
            var tar = Path.Combine(folder.FullName, "rootfs.tar");
            TarFile.CreateFromDirectory(Path.Combine(folder.FullName, "rootfs"), tar, includeBaseDirectory: false);
            await cli.ExecuteAsync($"docker import {reference}", ["import", "--platform", "linux/amd64", tar, reference], null);
            return new LocalImage(cli, reference);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Untags the image.</summary>
    public async ValueTask DisposeAsync()
    {
        try { await _cli.ExecuteAsync("docker rmi", ["rmi", Reference], null); }
        catch (DockerCommandException) { }
    }
}
