namespace MultiArch.Downstream.Tests;

// build.sh compiles the build program only when what it compiles changed: not on the second run after a fresh
// clone (creating build/bin and build/obj used to make build/ look newer), and not after files were restored with
// new mtimes (actions/cache, a fresh checkout), which the test stands in for with `touch` on every file. A good
// compile prints nothing of MSBuild's; a failed one prints its errors and leaves no temporary stamp.
[Trait("Category", "Machine")]
public sealed class BootstrapUpToDateTests
{
    [Fact]
    public async Task A_second_run_and_a_run_after_touching_every_file_do_not_compile_again()
    {
        var clone = Directory.CreateTempSubdirectory("multiarch-bootstrap-").FullName;
        try
        {
            await CopyTrackedFiles(RepositoryRoot.Path, clone);
            var dll = Path.Combine(clone, "build", "bin", "_build.dll");

            var first = await Run(clone, "--help");
            first.ExitCode.Should().Be(0, first.Output);
            first.Output.Should().NotContain("Build succeeded").And.NotContain("Time Elapsed",
                "a good compile prints nothing of MSBuild's");
            var compiled = File.GetLastWriteTimeUtc(dll);

            var second = await Run(clone, "--help");
            second.ExitCode.Should().Be(0, second.Output);
            File.GetLastWriteTimeUtc(dll).Should().Be(compiled, "nothing changed since the first run compiled");

            var later = DateTime.UtcNow.AddMinutes(1);
            foreach (var file in Directory.EnumerateFiles(clone, "*", SearchOption.AllDirectories)) File.SetLastWriteTimeUtc(file, later);
            var touched = await Run(clone, "--help");
            touched.ExitCode.Should().Be(0, touched.Output);
            File.GetLastWriteTimeUtc(dll).Should().Be(later, "new mtimes with the same content are no reason to compile");

            // After an edit the bootstrap compiles again and records the new inputs' hash. (The dll's mtime cannot tell:
            // MSBuild sees the edited file older than the outputs touched into the future above.)
            var stamp = Path.Combine(clone, ".nuke", "temp", "build.stamp");
            var before = await File.ReadAllTextAsync(stamp);
            await File.AppendAllTextAsync(Path.Combine(clone, "build", "Build.cs"), "\n// an edit\n");
            var edited = await Run(clone, "--help");
            edited.ExitCode.Should().Be(0, edited.Output);
            (await File.ReadAllTextAsync(stamp)).Should().NotBe(before, "a changed build file is compiled again");

            // A failed compile says so, keeps the last good stamp, and leaves no build.stamp.<pid> behind.
            var good = await File.ReadAllTextAsync(stamp);
            await File.AppendAllTextAsync(Path.Combine(clone, "build", "Build.cs"), "\nclass Broken {\n");
            // newer than the outputs, so MSBuild compiles it
            File.SetLastWriteTimeUtc(Path.Combine(clone, "build", "Build.cs"), later.AddMinutes(1));
            var broken = await Run(clone, "--help");
            broken.ExitCode.Should().Be(1, broken.Output);
            broken.Output.Should().Contain("error: the build project did not compile (see above).").And.Contain("error CS");
            (await File.ReadAllTextAsync(stamp)).Should().Be(good);
            Directory.GetFiles(Path.GetDirectoryName(stamp)!).Select(Path.GetFileName)
                .Where(f => f!.StartsWith("build.stamp.", StringComparison.Ordinal))
                .Should().BeEmpty("a temporary stamp goes when the compile fails");
        }
        finally { try { Directory.Delete(clone, recursive: true); } catch (IOException) { /* a leftover temp folder is harmless */ } }
    }

    static Task<(int ExitCode, string Output)> Run(string root, string argument) =>
        DownstreamSample.RunProcessAsync("bash", [Path.Combine(root, "build.sh"), argument], root,
            new Dictionary<string, string> { ["NO_COLOR"] = "1" });

    // What a fresh clone holds: the tracked files (and new ones not yet committed), without any local build output.
    static async Task CopyTrackedFiles(string source, string target)
    {
        var listed = await DownstreamSample.RunProcessAsync("git", ["ls-files", "-co", "--exclude-standard"], source,
            new Dictionary<string, string>());
        listed.ExitCode.Should().Be(0, listed.Output);
        foreach (var relative in listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var from = Path.Combine(source, relative);
            if (!File.Exists(from)) continue; // deleted in the work tree, not yet committed
            var to = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(from, to);
        }
    }
}
