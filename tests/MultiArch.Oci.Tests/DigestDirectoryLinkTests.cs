using MultiArch.Testing;
using System.Diagnostics;

namespace MultiArch.Oci.Tests;

/// <summary>
/// The digests folder is read without leaving it (issue 13): a link out of it is refused, a link loop is refused with
/// one line, and a FIFO named like a record cannot hang the merge.
/// </summary>
[Trait("Category", "Unit")]
public sealed class DigestDirectoryLinkTests
{
    private static readonly string Record =
        """{"repository":"127.0.0.1:5000/demo/app","digest":"sha256:""" + new string('a', 64) + "\",\"platform\":\"linux/amd64\"}";

    // Read on a worker with a deadline: the old reader walked / or blocked on a FIFO for ever.
    private static async Task<Exception?> ReadWithin(string directory, int seconds = 10)
    {
        var read = Task.Run(() => DigestDirectory.Read(directory));
        (await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(seconds)))).Should().Be(read, "reading the digests folder must end");
        return read.Exception?.InnerException;
    }

    [Fact]
    public async Task A_link_to_the_root_of_the_file_system_is_refused_not_walked()
    {
        using var dir = new TempDirectory();
        dir.File("digests-app-amd64/amd64.json", Record);
        var link = Path.Combine(dir.Path, "digests-app-arm64");
        Directory.CreateSymbolicLink(link, "/");

        var failure = await ReadWithin(dir.Path);

        failure.Should().BeOfType<OciInputException>().Which.Message.Should()
            .Contain($"'{link}'").And.Contain("outside").And.NotContain("/proc").And.NotContain("\n");
    }

    [Fact]
    public async Task A_link_loop_is_refused_with_one_line()
    {
        using var dir = new TempDirectory();
        dir.File("leg/amd64.json", Record);
        var link = Path.Combine(dir.Path, "leg", "again");
        Directory.CreateSymbolicLink(link, "..");

        var failure = await ReadWithin(dir.Path);

        failure.Should().BeOfType<OciInputException>().Which.Message.Should()
            .Contain($"'{link}'").And.Contain("loop").And.NotContain("again/again").And.NotContain("\n");
    }

    [Fact]
    public async Task A_chain_of_links_that_never_ends_is_refused_as_a_loop()
    {
        using var dir = new TempDirectory();
        dir.File("amd64.json", Record);
        File.CreateSymbolicLink(Path.Combine(dir.Path, "a.json"), "b.json");
        File.CreateSymbolicLink(Path.Combine(dir.Path, "b.json"), "a.json");

        var failure = await ReadWithin(dir.Path);

        failure.Should().BeOfType<OciInputException>().Which.Message.Should().Contain("a.json").And.Contain("loop");
    }

    [Fact]
    public async Task A_record_linked_from_outside_the_folder_is_refused_and_one_inside_is_read()
    {
        using var outside = new TempDirectory();
        using var dir = new TempDirectory();
        var target = outside.File("amd64.json", Record);
        File.CreateSymbolicLink(Path.Combine(dir.Path, "amd64.json"), target);

        var failure = await ReadWithin(dir.Path);
        failure.Should().BeOfType<OciInputException>().Which.Message.Should().Contain("outside").And.Contain(target);

        File.Delete(Path.Combine(dir.Path, "amd64.json"));
        dir.File("real/amd64.json", Record);
        File.CreateSymbolicLink(Path.Combine(dir.Path, "amd64.json"), Path.Combine(dir.Path, "real", "amd64.json"));
        DigestDirectory.Read(dir.Path).Should().HaveCount(2).And.OnlyContain(r => r.Platform == Platform.LinuxAmd64);
    }

    [Fact]
    public async Task A_fifo_named_like_a_record_is_refused_without_blocking()
    {
        using var dir = new TempDirectory();
        var fifo = Path.Combine(dir.Path, "amd64.json");
        using (var mkfifo = Process.Start("mkfifo", [fifo])) await mkfifo.WaitForExitAsync();

        var failure = await ReadWithin(dir.Path, seconds: 5);

        failure.Should().BeOfType<OciInputException>().Which.Message.Should().Contain($"'{fifo}'").And.Contain("not a regular file");
    }

    [Fact]
    public void A_digests_directory_that_is_a_file_says_so()
    {
        using var dir = new TempDirectory();
        var file = dir.File("digests", Record);

        FluentActions.Invoking(() => DigestDirectory.Read(file)).Should().Throw<OciInputException>()
            .Which.Message.Should().Contain($"'{file}' is a file, not a folder").And.NotContain("does not exist");
    }
}
