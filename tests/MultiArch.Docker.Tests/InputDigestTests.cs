using System.Text;
using MultiArch.Oci;

namespace MultiArch.Docker.Tests;

[Trait("Category", "Unit")]
public sealed class InputDigestTests : IDisposable
{
    readonly TemporaryBuildContext _context = new();

    public void Dispose() => _context.Dispose();

    static StageInputs Inputs(string dockerfile = "FROM x\n") => new()
    {
        Dockerfile = Encoding.UTF8.GetBytes(dockerfile),
        Context = [new ContextFile("app.sh", (UnixFileMode)0b111_101_101, new string('a', 64))],
        BuildArgs = new Dictionary<string, string> { ["A"] = "1" },
        Labels = new Dictionary<string, string> { ["org.opencontainers.image.title"] = "hello" },
        Images = [("busybox:1.36", "sha256:" + new string('b', 64))],
        Platform = Platform.LinuxArm64,
        ToolVersion = "1.0.0",
    };

    [Fact]
    public void The_same_inputs_give_the_same_digest_whatever_the_order_of_arguments_labels_and_files()
    {
        var shuffled = Inputs() with
        {
            BuildArgs = new Dictionary<string, string> { ["B"] = "2", ["A"] = "1" },
            Context = [new ContextFile("z", 0, "0"), new ContextFile("a", 0, "0")],
        };
        var sorted = Inputs() with
        {
            BuildArgs = new Dictionary<string, string> { ["A"] = "1", ["B"] = "2" },
            Context = [new ContextFile("a", 0, "0"), new ContextFile("z", 0, "0")],
        };
        InputDigest.Compute(shuffled).Should().Be(InputDigest.Compute(sorted));
        InputDigest.Compute(Inputs()).Should().Be(InputDigest.Compute(Inputs()));
    }

    public static TheoryData<string, StageInputs> Changes => new()
    {
        { "Dockerfile", Inputs("FROM x\nRUN true\n") },
        { "file content", Inputs() with { Context = [new ContextFile("app.sh", (UnixFileMode)0b111_101_101, new string('c', 64))] } },
        { "file mode", Inputs() with { Context = [new ContextFile("app.sh", (UnixFileMode)0b110_100_100, new string('a', 64))] } },
        { "file name", Inputs() with { Context = [new ContextFile("app2.sh", (UnixFileMode)0b111_101_101, new string('a', 64))] } },
        { "build argument", Inputs() with { BuildArgs = new Dictionary<string, string> { ["A"] = "2" } } },
        { "label", Inputs() with { Labels = new Dictionary<string, string> { ["org.opencontainers.image.title"] = "other" } } },
        { "base digest", Inputs() with { Images = [("busybox:1.36", "sha256:" + new string('d', 64))] } },
        { "platform", Inputs() with { Platform = Platform.LinuxAmd64 } },
        { "tool version", Inputs() with { ToolVersion = "1.0.1" } },
        { "target stage", Inputs() with { TargetStage = "runtime" } },
    };

    [Theory, MemberData(nameof(Changes))]
    public void Any_input_changing_changes_the_digest(string what, StageInputs changed) =>
        InputDigest.Compute(changed).Should().NotBe(InputDigest.Compute(Inputs()), what);

    [Fact]
    public void A_value_cannot_pass_for_two_fields()
    {
        var one = Inputs() with { BuildArgs = new Dictionary<string, string> { ["A"] = "1\narg 1:B\n= 1:2" } };
        var two = Inputs() with { BuildArgs = new Dictionary<string, string> { ["A"] = "1", ["B"] = "2" } };
        InputDigest.Compute(one).Should().NotBe(InputDigest.Compute(two));
    }

    [Fact]
    public void Context_files_follow_dockerignore_and_the_Dockerfile_specific_ignore_file_wins()
    {
        _context.Write("app.sh", "echo hi");
        _context.Write("notes.md", "x");
        Directory.CreateDirectory(Path.Combine(_context.Directory, "cache", "keep"));
        _context.Write("cache/a.bin", "x");
        _context.Write("cache/keep/b.txt", "x");
        var dockerfile = _context.Write("Dockerfile", "FROM x\n");
        _context.Write(".dockerignore", "*.md\ncache\n!cache/keep\n");

        var files = BuildContextFiles.List(_context.Directory, BuildContextFiles.IgnoreRules(_context.Directory, dockerfile));
        files.Select(f => f.Path).Should().Equal(".dockerignore", "Dockerfile", "app.sh", "cache/keep/b.txt");

        _context.Write("Dockerfile.dockerignore", "app.sh\n");
        BuildContextFiles.List(_context.Directory, BuildContextFiles.IgnoreRules(_context.Directory, dockerfile)).Select(f => f.Path)
            .Should().Equal(".dockerignore", "Dockerfile", "Dockerfile.dockerignore", "cache/a.bin", "cache/keep/b.txt", "notes.md");
    }

    [Fact]
    public void Modification_times_do_not_count_but_content_does()
    {
        var path = _context.Write("app.sh", "echo hi");
        var before = BuildContextFiles.List(_context.Directory, DockerIgnore.Empty);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddDays(-3));
        BuildContextFiles.List(_context.Directory, DockerIgnore.Empty).Should().Equal(before);
        File.WriteAllText(path, "echo bye");
        BuildContextFiles.List(_context.Directory, DockerIgnore.Empty).Should().NotEqual(before);
    }
}

[Trait("Category", "Unit")]
public sealed class DockerfileImagesTests
{
    static readonly Dictionary<string, string> None = new();

    [Fact]
    public void Global_ARG_defaults_apply_and_build_arguments_override_them()
    {
        const string dockerfile = "# syntax=docker/dockerfile:1\nARG BASE_IMAGE=busybox:1.36\nFROM ${BASE_IMAGE}\nRUN true\n";
        DockerfileImages.Read(dockerfile, None).Should().Equal("busybox:1.36");
        DockerfileImages.Read(dockerfile, new Dictionary<string,
            string> { ["BASE_IMAGE"] = "127.0.0.1:5000/b:1" }).Should().Equal("127.0.0.1:5000/b:1");
    }

    [Fact]
    public void Stages_scratch_and_numbered_sources_are_not_images()
    {
        const string dockerfile = """
            ARG GO=1.22
            FROM --platform=$BUILDPLATFORM golang:${GO} AS build
            RUN --mount=type=cache,target=/root/.cache go build
            FROM scratch AS empty
            FROM build AS test
            FROM alpine:3.20
            COPY --from=build /app /app
            COPY --from=0 /x /x
            COPY --from=ghcr.io/acme/tools:1 \
                 /bin/tool /bin/tool
            RUN --mount=type=bind,from=docker.io/library/node:20,source=/usr,target=/n true
            """;
        DockerfileImages.Read(dockerfile, None).Should().Equal("golang:1.22", "alpine:3.20", "ghcr.io/acme/tools:1",
            "docker.io/library/node:20");
    }

    [Fact]
    public void An_escape_directive_changes_the_continuation_character()
    {
        DockerfileImages.Read("# escape=`\nFROM `\n  mcr.microsoft.com/windows/nanoserver:ltsc2022\n", None)
            .Should().Equal("mcr.microsoft.com/windows/nanoserver:ltsc2022");
    }

    [Fact]
    public void Default_and_alternative_forms_substitute()
    {
        DockerfileImages.Read("ARG TAG\nFROM alpine:${TAG:-3.19}\n", None).Should().Equal("alpine:3.19");
        DockerfileImages.Read("ARG TAG\nFROM alpine:${TAG:-3.19}\n", new Dictionary<string,
            string> { ["TAG"] = "3.20" }).Should().Equal("alpine:3.20");
    }
}
