using MultiArch.Testing;

namespace MultiArch.Oci.Tests;

[Trait("Category", "Unit")]
public sealed class DigestDirectoryTests
{
    private static readonly Digest A = Digest.Parse("sha256:" + new string('a', 64));
    private static readonly Digest B = Digest.Parse("sha256:" + new string('b', 64));

    [Fact]
    public void Written_records_read_back_one_per_platform_named_by_pair()
    {
        using var dir = new TempDirectory();
        DigestDirectory.Write(dir.Path,
            new DigestRecord(ImageReference.Parse("127.0.0.1:5000/demo/app"), A, Platform.LinuxArmV7, "1.2.3-arm-v7",
            MediaTypes.OciManifest, 1234));
        DigestDirectory.Write(dir.Path,
            new DigestRecord(ImageReference.Parse("127.0.0.1:5000/demo/app"), B, Platform.LinuxAmd64, "1.2.3-amd64"));

        Directory.GetFiles(dir.Path).Select(Path.GetFileName).Should().BeEquivalentTo("amd64.json", "arm-v7.json");
        var records = DigestDirectory.Read(dir.Path);
        records.Select(r => (r.Platform, r.Digest)).Should().Equal((Platform.LinuxAmd64, B), (Platform.LinuxArmV7, A));
        records[1].Should().BeEquivalentTo(new { Tag = "1.2.3-arm-v7", MediaType = MediaTypes.OciManifest, Size = 1234L });
        records[1].Repository.Should().Be(ImageReference.Parse("127.0.0.1:5000/demo/app"));
        records[1].PlatformVerified.Should().BeFalse("a record read from a file is checked by the merge");
        // The file keeps its format: the repository is written as registry/path, as before it was typed.
        File.ReadAllText(Path.Combine(dir.Path, "arm-v7.json")).Should().Contain("\"repository\": \"127.0.0.1:5000/demo/app\"");
    }

    [Fact]
    public void Writing_again_replaces_the_record_and_leaves_no_temp_files()
    {
        using var dir = new TempDirectory();
        DigestDirectory.Write(dir.Path, new DigestRecord(ImageReference.Parse("ghcr.io/a/b"), A, Platform.LinuxArm64));
        DigestDirectory.Write(dir.Path, new DigestRecord(ImageReference.Parse("ghcr.io/a/b"), B, Platform.LinuxArm64));
        Directory.GetFiles(dir.Path).Should().ContainSingle();
        DigestDirectory.Read(dir.Path).Single().Digest.Should().Be(B);
    }

    [Fact]
    public void Writing_again_replaces_the_file_whole_so_a_reader_of_the_old_record_never_sees_it_change()
    {
        using var dir = new TempDirectory();
        var path = DigestDirectory.Write(dir.Path,
            new DigestRecord(ImageReference.Parse("ghcr.io/a/b"), A, Platform.LinuxArm64, "1.0.0-arm64"));
        var old = File.ReadAllText(path);
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));

        DigestDirectory.Write(dir.Path, new DigestRecord(ImageReference.Parse("ghcr.io/a/b"), B, Platform.LinuxArm64, "1.0.0-arm64"));

        // A rename swaps in a new file and the open one keeps the old record. Writing to the final path itself would
        // truncate and refill the very file the reader has open: it would see the new bytes, or half of them.
        reader.ReadToEnd().Should().Be(old, "the record a reader opened stays whole; the new one is a different file");
        DigestDirectory.Read(dir.Path).Single().Digest.Should().Be(B);
    }

    [Fact]
    public void Docker_recipe_files_named_by_digest_hex_are_read_without_platform()
    {
        using var dir = new TempDirectory();
        dir.File(new string('a', 64), "");
        dir.File("digests-arm64/" + new string('b', 64), ""); // one artifact per subdirectory
        var records = DigestDirectory.Read(dir.Path);
        records.Select(r => r.Digest).Should().BeEquivalentTo([A, B]);
        records.Should().OnlyContain(r => r.Platform == null && r.Repository == null);
    }

    [Fact]
    public void Hidden_temp_files_left_by_an_interrupted_write_are_ignored()
    {
        using var dir = new TempDirectory();
        dir.File(".arm64.0123.tmp", "{\"repo");
        DigestDirectory.Write(dir.Path, new DigestRecord(ImageReference.Parse("ghcr.io/a/b"), A, Platform.LinuxAmd64));
        DigestDirectory.Read(dir.Path).Should().ContainSingle();
    }

    [Theory]
    [InlineData("amd64.json", "", "is empty")]
    [InlineData("amd64.json", "{\"digest\": ", "is not valid JSON (line 1")]
    [InlineData("amd64.json", "{\"digest\":\"sha256:aaa\",\"platform\":\"linux/amd64\",\"repository\":\"ghcr.io/a/b\"}",
        "not sha256:<64 hex>")]
    [InlineData("amd64.json", "{\"platform\":\"linux/amd64\"}", "lacks repository, digest or platform")]
    [InlineData("amd64.json",
        "{\"digest\":\"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"," +
        "\"platform\":\"arm64\",\"repository\":\"ghcr.io/a/b\"}", "platform 'arm64'")]
    [InlineData("amd64.json",
        "{\"digest\":\"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"," +
        "\"platform\":\"linux/amd64\",\"repository\":\"ghcr.io/A/b\"}", "repository 'ghcr.io/A/b'")]
    [InlineData("notadigest", "", "is not named by a digest")]
    [InlineData("sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "", "path separator or ':'")]
    [InlineData("..\\aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "", "path separator")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "sha256:x", "should be empty")]
    public void Bad_digest_files_are_rejected_naming_the_file(string name, string content, string message)
    {
        using var dir = new TempDirectory();
        var path = dir.File(name, content);
        var act = () => DigestDirectory.Read(dir.Path);
        var error = act.Should().Throw<OciInputException>().Which;
        error.Message.Should().Contain(path).And.Contain(message).And.NotContain("\n");
    }

    [Fact]
    public void A_missing_or_empty_directory_says_to_run_export_digest()
    {
        using var dir = new TempDirectory();
        ((Action)(() => DigestDirectory.Read(dir.Path))).Should().Throw<OciInputException>().WithMessage("*has no digest " +
            "records*ExportDigest*");
        ((Action)(() => DigestDirectory.Read(Path.Combine(dir.Path,
            "nope")))).Should().Throw<OciInputException>().WithMessage("*does not exist*ExportDigest*");
    }
}
