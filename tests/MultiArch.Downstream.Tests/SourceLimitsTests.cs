namespace MultiArch.Downstream.Tests;

// The size limits of .editorconfig, checked rather than reviewed: no C# file over 300 lines, no line over 140
// characters, in src/, build/, tests/, bench/ and samples/. The one exception is a line inside a YAML fixture, where a
// break would change the document.
[Trait("Category", "Unit")]
public sealed class SourceLimitsTests
{
    const int MaxLines = 300, MaxLineLength = 140;

    static readonly string[] LongLineAllowed = ["tests/MultiArch.Workflows.Local.Tests/LocalSetupDockerTests.cs"];

    static IEnumerable<(string Path, string[] Lines)> SourceFiles() =>
        new[] { "src", "build", "tests", "bench", "samples" }
            .Select(d => Path.Combine(RepositoryRoot.Path, d))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Select(f => (Path.GetRelativePath(RepositoryRoot.Path, f).Replace('\\', '/'), File.ReadAllLines(f)));

    [Fact]
    public void No_source_file_is_over_300_lines()
    {
        SourceFiles().Where(f => f.Lines.Length > MaxLines).Select(f => $"{f.Path}: {f.Lines.Length} lines")
            .Should().BeEmpty("a file over 300 lines holds more than one concern: split it by concern");
    }

    [Fact]
    public void No_line_is_over_140_characters()
    {
        SourceFiles().Where(f => !LongLineAllowed.Contains(f.Path))
            .SelectMany(f => f.Lines.Select((line, i) => (f.Path, Number: i + 1, line.Length)))
            .Where(l => l.Length > MaxLineLength).Select(l => $"{l.Path}:{l.Number}: {l.Length} characters")
            .Should().BeEmpty("the limit is 140 characters (.editorconfig max_line_length)");
    }

    // Each repository carries its own bootstrap scripts (a runner's checkout has nothing else): the samples' copies are
    // the template's, byte for byte, so a fix to one reaches every copy or fails here.
    [Theory]
    [InlineData("build.sh")]
    [InlineData("build.ps1")]
    [InlineData("build.cmd")]
    public void The_samples_bootstrap_scripts_are_the_templates(string script)
    {
        var template = File.ReadAllBytes(Path.Combine(RepositoryRoot.Path, "templates", "content", "multiarch", script));
        foreach (var sample in Directory.GetDirectories(Path.Combine(RepositoryRoot.Path, "samples")))
            File.ReadAllBytes(Path.Combine(sample, script)).Should().Equal(template, $"{Path.GetFileName(sample)}/{script}");
    }
}
