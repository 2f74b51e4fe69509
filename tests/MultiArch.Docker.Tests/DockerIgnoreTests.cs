namespace MultiArch.Docker.Tests;

/// <summary>
/// The documented cases of moby/patternmatcher at 5a6d842 (patternmatcher_test.go TestMatches, TestWildcardMatches,
/// TestMatchesWithMalformedPatterns; ignorefile_test.go), and the docs' examples
/// (https://docs.docker.com/build/building/context/#dockerignore-files): DockerIgnore must agree with Docker.
/// </summary>
[Trait("Category", "Unit")]
public sealed class DockerIgnoreTests
{
    // TestMatches in patternmatcher_test.go: (pattern, path, match).
    [Theory]
    [InlineData("**", "file", true)]
    [InlineData("**", "file/", true)]
    [InlineData("**/", "file", true)]
    [InlineData("**/", "file/", true)]
    [InlineData("**", "/", true)]
    [InlineData("**/", "/", true)]
    [InlineData("**", "dir/file", true)]
    [InlineData("**/", "dir/file", true)]
    [InlineData("**", "dir/file/", true)]
    [InlineData("**/", "dir/file/", true)]
    [InlineData("**/**", "dir/file", true)]
    [InlineData("**/**", "dir/file/", true)]
    [InlineData("dir/**", "dir/file", true)]
    [InlineData("dir/**", "dir/file/", true)]
    [InlineData("dir/**", "dir/dir2/file", true)]
    [InlineData("dir/**", "dir/dir2/file/", true)]
    [InlineData("**/dir", "dir", true)]
    [InlineData("**/dir", "dir/file", true)]
    [InlineData("**/dir2/*", "dir/dir2/file", true)]
    [InlineData("**/dir2/*", "dir/dir2/file/", true)]
    [InlineData("**/dir2/**", "dir/dir2/dir3/file", true)]
    [InlineData("**/dir2/**", "dir/dir2/dir3/file/", true)]
    [InlineData("**file", "file", true)]
    [InlineData("**file", "dir/file", true)]
    [InlineData("**/file", "dir/file", true)]
    [InlineData("**file", "dir/dir/file", true)]
    [InlineData("**/file", "dir/dir/file", true)]
    [InlineData("**/file*", "dir/dir/file", true)]
    [InlineData("**/file*", "dir/dir/file.txt", true)]
    [InlineData("**/file*txt", "dir/dir/file.txt", true)]
    [InlineData("**/file*.txt", "dir/dir/file.txt", true)]
    [InlineData("**/file*.txt*", "dir/dir/file.txt", true)]
    [InlineData("**/**/*.txt", "dir/dir/file.txt", true)]
    [InlineData("**/**/*.txt2", "dir/dir/file.txt", false)]
    [InlineData("**/*.txt", "file.txt", true)]
    [InlineData("**/**/*.txt", "file.txt", true)]
    [InlineData("a**/*.txt", "a/file.txt", true)]
    [InlineData("a**/*.txt", "a/dir/file.txt", true)]
    [InlineData("a**/*.txt", "a/dir/dir/file.txt", true)]
    [InlineData("a/*.txt", "a/dir/file.txt", false)]
    [InlineData("a/*.txt", "a/file.txt", true)]
    [InlineData("a/*.txt**", "a/file.txt", true)]
    [InlineData("a[b-d]e", "ae", false)]
    [InlineData("a[b-d]e", "ace", true)]
    [InlineData("a[b-d]e", "aae", false)]
    [InlineData("a[^b-d]e", "aze", true)]
    [InlineData(".*", ".foo", true)]
    [InlineData(".*", "foo", false)]
    [InlineData("abc.def", "abcdef", false)]
    [InlineData("abc.def", "abc.def", true)]
    [InlineData("abc.def", "abcZdef", false)]
    [InlineData("abc?def", "abcZdef", true)]
    [InlineData("abc?def", "abcdef", false)]
    [InlineData("a\\\\", "a\\", true)]
    [InlineData("**/foo/bar", "foo/bar", true)]
    [InlineData("**/foo/bar", "dir/foo/bar", true)]
    [InlineData("**/foo/bar", "dir/dir2/foo/bar", true)]
    [InlineData("abc/**", "abc", false)]
    [InlineData("abc/**", "abc/def", true)]
    [InlineData("abc/**", "abc/def/ghi", true)]
    [InlineData("**/.foo", ".foo", true)]
    [InlineData("**/.foo", "bar.foo", false)]
    [InlineData("a(b)c/def", "a(b)c/def", true)]
    [InlineData("a(b)c/def", "a(b)c/xyz", false)]
    [InlineData("a.|)$(}+{bc", "a.|)$(}+{bc", true)]
    [InlineData("dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true)]
    [InlineData("dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true)]
    [InlineData("a\\*b", "a*b", true)]
    public void Matches_as_patternmatcher_does(string pattern, string path, bool excluded) =>
        DockerIgnore.FromPatterns([pattern]).IsExcluded(path).Should().Be(excluded, $"pattern '{pattern}' on '{path}'");

    // TestMatches's multi-pattern cases: the last matching pattern decides.
    [Theory]
    [InlineData("util/docker/web/foo", false, "**", "!util/docker/web")]
    [InlineData("util/docker/web/foo", true, "**", "!util/docker/web", "util/docker/web/foo")]
    [InlineData("dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", false, "**",
        "!dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl")]
    [InlineData("dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", false, "**", "!dist/*.whl")]
    public void Later_patterns_win(string path, bool excluded, params string[] patterns) =>
        DockerIgnore.FromPatterns(patterns).IsExcluded(path).Should().Be(excluded);

    // TestWildcardMatches, TestPatternMatches, TestExclusionPatternMatchesPatternBefore, TestPatternMatchesFolderExclusions...
    [Theory]
    [InlineData("fileutils.go", true, "*")]
    [InlineData("fileutils.go", true, "*.go")]
    [InlineData("fileutils.go", true, "!fileutils.go", "*.go")]
    [InlineData("docs/README.md", false, "docs", "!docs/README.md")]
    [InlineData("docs/README.md", false, "docs/", "!docs/README.md")]
    [InlineData("docs/README.md", false, "docs/*", "!docs/README.md")]
    [InlineData("fileutils.go", false, "*.go", "!fileutils.go")]
    [InlineData(".", false, "*.go")]
    public void The_package_level_examples_hold(string path, bool excluded, params string[] patterns) =>
        DockerIgnore.FromPatterns(patterns).IsExcluded(path).Should().Be(excluded);

    // The matching rules of filepath.Match that patternmatcher keeps (TestMatch in its tests, from Go's own).
    [Theory]
    [InlineData("abc", "abc", true)]
    [InlineData("*", "abc", true)]
    [InlineData("*c", "abc", true)]
    [InlineData("a*", "a", true)]
    [InlineData("a*", "abc", true)]
    [InlineData("a*/b", "abc/b", true)]
    [InlineData("a*/b", "a/c/b", false)]
    [InlineData("a*b*c*d*e*/f", "axbxcxdxe/f", true)]
    [InlineData("a*b*c*d*e*/f", "axbxcxdxexxx/f", true)]
    [InlineData("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false)]
    [InlineData("a*b*c*d*e*/f", "axbxcxdxexxx/fff", false)]
    [InlineData("a*b?c*x", "abxbbxdbxebxczzx", true)]
    [InlineData("a*b?c*x", "abxbbxdbxebxczzy", false)]
    [InlineData("ab[c]", "abc", true)]
    [InlineData("ab[b-d]", "abc", true)]
    [InlineData("ab[e-g]", "abc", false)]
    [InlineData("ab[^c]", "abc", false)]
    [InlineData("ab[^b-d]", "abc", false)]
    [InlineData("ab[^e-g]", "abc", true)]
    [InlineData("a\\*b", "ab", false)]
    [InlineData("a?b", "a☺b", true)]
    [InlineData("a[^a]b", "a☺b", true)]
    [InlineData("a???b", "a☺b", false)]
    [InlineData("[a-ζ]*", "α", true)]
    [InlineData("*[a-ζ]", "A", false)]
    [InlineData("a?b", "a/b", false)]
    [InlineData("a*b", "a/b", false)]
    [InlineData("[\\]a]", "]", true)]
    [InlineData("[\\-]", "-", true)]
    public void Wildcards_never_cross_a_slash(string pattern, string path, bool excluded) =>
        DockerIgnore.FromPatterns([pattern]).IsExcluded(path).Should().Be(excluded);

    [Fact]
    public void A_pattern_on_a_directory_excludes_everything_under_it()
    {
        var ignore = DockerIgnore.FromPatterns(["node_modules", "**/secret"]);
        ignore.IsExcluded("node_modules/lib/index.js").Should().BeTrue();
        ignore.IsExcluded("a/b/secret/key").Should().BeTrue();
        ignore.IsExcluded("src/node_modules.txt").Should().BeFalse();
    }

    [Theory]
    [InlineData("!")]
    [InlineData("[")]
    [InlineData("a[b")]
    public void A_pattern_Docker_refuses_is_one_line_naming_the_file(string pattern)
    {
        var error = FluentActions.Invoking(() =>
            DockerIgnore.Parse(pattern + "\n", "/ctx/.dockerignore")).Should().Throw<DockerInputException>().Which;
        error.Message.Should().StartWith("/ctx/.dockerignore: ").And.NotContain("\n");
    }

    // ignorefile.ReadAll: BOM, comments, whitespace, cleaning, a leading slash (ignorefile_test.go).
    [Fact]
    public void Reading_the_file_follows_ignorefile_ReadAll()
    {
        var ignore = DockerIgnore.Parse("\uFEFF# comment\n  test1  \n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! " +
            "/inverted/abs/path\n./dir/../sub//x\n");
        ignore.IsExcluded("test1").Should().BeTrue();
        ignore.IsExcluded("test2").Should().BeTrue();
        ignore.IsExcluded("a/file/here").Should().BeTrue();
        ignore.IsExcluded("lastfile").Should().BeTrue();
        ignore.IsExcluded("# comment").Should().BeFalse();
        ignore.IsExcluded("sub/x").Should().BeTrue();
        ignore.HasExclusions.Should().BeTrue();
    }

    // The docs' examples: */temp*, */*/temp*, temp?, and the README exceptions.
    [Fact]
    public void The_documented_examples_hold()
    {
        var ignore = DockerIgnore.Parse("# comment\n*/temp*\n*/*/temp*\ntemp?\n");
        ignore.IsExcluded("somedir/temporary.txt").Should().BeTrue();
        ignore.IsExcluded("somedir/temp").Should().BeTrue();
        ignore.IsExcluded("somedir/subdir/temporary.txt").Should().BeTrue();
        ignore.IsExcluded("tempa").Should().BeTrue();
        ignore.IsExcluded("temporary.txt").Should().BeFalse();

        DockerIgnore.Parse("*.md\n!README.md\n").IsExcluded("README.md").Should().BeFalse();
        var secret = DockerIgnore.Parse("*.md\n!README*.md\nREADME-secret.md\n");
        secret.IsExcluded("README-secret.md").Should().BeTrue();
        secret.IsExcluded("README-public.md").Should().BeFalse();
        DockerIgnore.Parse("*.md\nREADME-secret.md\n!README*.md\n").IsExcluded("README-secret.md").Should().BeFalse();
    }

    [Theory]
    [InlineData("", ".")]
    [InlineData("a//b/./c/", "a/b/c")]
    [InlineData("a/../../b", "../b")]
    [InlineData("/../a", "/a")]
    public void Paths_are_cleaned_as_Go_cleans_them(string path, string clean) => DockerIgnore.CleanPath(path).Should().Be(clean);
}
