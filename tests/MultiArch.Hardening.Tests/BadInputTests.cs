using MultiArch.Build;
using MultiArch.Ghcr.Tests;
using MultiArch.Testing;

namespace MultiArch.Hardening.Tests;

/// <summary>
/// The bad-input corpus: each row is what a user might type or leave behind, run through the engine as ./build.sh
/// runs it. Each must give exactly one error line that names the input, a failing exit code, and change nothing in
/// the registry or the GitHub API fake.
/// </summary>
[Trait("Category", "Registry"), Collection(ReliabilityCollection.Name)]
public sealed class BadInputTests
{
    const string Password = "hardening-S3cret-pw-7f3a";
    const string Token = "ghp_HARDENING0123456789abcdefTOKEN";
    const string AmdDigest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    const string Hex = "2222222222222222222222222222222222222222222222222222222222222222";

    /// <summary>One bad input: the arguments, what to put in the build root first, and a fragment the error line must hold.</summary>
    public sealed record Case(string Name, string Input, string[] Args, string Expect, Action<string, string>? Setup = null,
        string Target = "plain")
    {
        /// <inheritdoc />
        public override string ToString() => Name;
    }

    static string[] Merge(params string[] more) => ["MergeManifest", "--skip", .. more];

    static Action<string, string> DigestFile(string name, string content) => (_, digests) =>
    {
        Directory.CreateDirectory(digests);
        File.WriteAllText(Path.Combine(digests, name), content);
    };

    static string Record(string? repository = "REGISTRY/multiarch/hardening", string? digest = AmdDigest, string? platform = "linux/amd64",
        string? tag = "1.0.0-amd64") =>
        $$"""{"repository":{{Json(repository)}},"digest":{{Json(digest)}},"platform":{{Json(platform)}},"tag":{{Json(tag)}}}""";

    // A well-formed record without a tag, so the merge gets as far as checking the version and tags.
    static readonly Action<string, string> GoodRecord = DigestFile("linux-amd64.json", Record(tag: null));

    static string[] MergeWithRecord(params string[] more) => Merge(["--platform", "linux/amd64", .. more]);

    static string Json(string? value) => value is null ? "null" : $"\"{value}\"";

    /// <summary>The corpus.</summary>
    public static TheoryData<Case> Corpus() => new()
    {
        // Platforms
        new("01 platform without os", "--platform arm64", Merge("--platform", "arm64"), "arm64"),
        new("02 platform with unknown variant", "--platform linux/arm64/v9", Merge("--platform", "linux/arm64/v9"), "linux/arm64/v9"),
        new("03 platform with empty part", "--platform linux//amd64", Merge("--platform", "linux//amd64"), "linux//amd64"),
        new("04 platforms joined by a comma", "--platform linux/amd64,linux/arm64", Merge("--platform", "linux/amd64,linux/arm64"),
            "linux/amd64,linux/arm64"),
        new("05 platform with trailing slash", "--platform linux/amd64/", Merge("--platform", "linux/amd64/"), "linux/amd64/"),
        new("06 platform with four parts", "--platform linux/arm/v7/x", Merge("--platform", "linux/arm/v7/x"), "linux/arm/v7/x"),
        // Repository paths (--image only selects; --repository is where to publish)
        new("07 repository in upper case", "--repository Acme/App", Merge("--repository", "Acme/App"), "Acme/App"),
        new("08 repository with a space", "--repository 'acme/my app'", Merge("--repository", "acme/my app"), "acme/my app"),
        new("09 repository with ..", "--repository acme/../app", Merge("--repository", "acme/../app"), "acme/../app"),
        new("10 empty repository", "--repository ''", Merge("--repository", ""), "repository is empty"),
        new("11 repository with empty path part", "--repository acme//app", Merge("--repository", "acme//app"), "acme//app"),
        new("12 repository starting with -", "--repository _acme/app", Merge("--repository", "_acme/app"), "_acme/app"),
        new("13 registry with a space", "--registry 'local host:5000'", Merge("--registry", "local host:5000"), "local host:5000"),
        new("14 registry with a scheme", "--registry http://127.0.0.1:5000", Merge("--registry", "http://127.0.0.1:5000"),
            "http://127.0.0.1:5000"),
        // Tags and versions
        new("15 extra tag too long", "--extra-tags " + new string('a', 129), MergeWithRecord("--extra-tags", new string('a', 129)),
            "aaaaaaaa", GoodRecord),
        new("16 extra tag with !", "--extra-tags bad!tag", MergeWithRecord("--extra-tags", "bad!tag"), "bad!tag", GoodRecord),
        new("17 extra tag starting with .", "--extra-tags .hidden", MergeWithRecord("--extra-tags", ".hidden"), ".hidden", GoodRecord),
        new("18 extra tag starting with -", "--extra-tags=-dash", MergeWithRecord("--extra-tags=-dash"), "-dash", GoodRecord),
        new("19 extra tag with a colon", "--extra-tags a:b", MergeWithRecord("--extra-tags", "a:b"), "a:b", GoodRecord),
        new("20 version with a space", "--version '1.0 beta'", MergeWithRecord("--version", "1.0 beta"), "1.0 beta", GoodRecord),
        new("21 version with a slash", "--version 1.2/3", MergeWithRecord("--version", "1.2/3"), "1.2/3", GoodRecord),
        new("22 version too long", "--version " + new string('9', 130), MergeWithRecord("--version", new string('9', 130)), "999999",
            GoodRecord),
        new("23 version starting with .", "--version .1", MergeWithRecord("--version", ".1"), ".1", GoodRecord),
        // Digest files
        new("24 digests folder missing", "--digests-directory <missing>", Merge("--digests-directory", "MISSING"), "does not exist"),
        new("25 digests folder empty", "empty digests folder", Merge(), "no digest records", (_, d) => Directory.CreateDirectory(d)),
        new("26 empty record", "linux-amd64.json (0 bytes)", Merge(), "linux-amd64.json", DigestFile("linux-amd64.json", "")),
        new("27 malformed record", "linux-amd64.json = '{\"digest\":'", Merge(), "line 1", DigestFile("linux-amd64.json", "{\"digest\":")),
        new("28 record without digest", "record lacking digest", Merge(), "linux-amd64.json",
            DigestFile("linux-amd64.json", Record(digest: null))),
        new("29 record with short digest", "digest sha256:abc", Merge(), "sha256:abc",
            DigestFile("linux-amd64.json", Record(digest: "sha256:abc"))),
        new("30 record with bad platform", "platform arm64 in record", Merge(), "arm64",
            DigestFile("linux-amd64.json", Record(platform: "arm64"))),
        new("31 record with bad repository", "repository Foo/Bar in record", Merge(), "Foo/Bar",
            DigestFile("linux-amd64.json", Record(repository: "Foo/Bar"))),
        new("32 file not named by a digest", "digests/notadigest", Merge(), "notadigest", DigestFile("notadigest", "")),
        new("33 file named with ':'", "digests/sha256:<hex>", Merge(), "sha256:" + Hex, DigestFile("sha256:" + Hex, "")),
        new("34 file named with '\\'", "digests/a\\b", Merge(), "a\\b", DigestFile("a\\b", "")),
        new("35 recipe file with content", "digests/<hex> not empty", Merge(), Hex, DigestFile(Hex, "sha256:" + Hex)),
        new("36 record of another version", "record tagged 0.9.0-amd64", Merge("--platform", "linux/amd64"), "0.9.0",
            DigestFile("linux-amd64.json", Record().Replace("1.0.0-amd64", "0.9.0-amd64"))),
        // Parameters and targets
        new("37 unknown parameter", "--no-such-thing", Merge("--no-such-thing", "x"), "no-such-thing"),
        new("38 misspelt parameter", "--platfrom linux/amd64", Merge("--platfrom", "linux/amd64"), "platfrom"),
        new("39 number parameter not a number", "--keep-newest-untagged many",
            ["CleanupUntagged", "--skip", "--keep-newest-untagged", "many"], "many"),
        new("40 parameters.json not JSON", ".nuke/parameters.json broken at line 3", Merge(), "line 3",
            (root, _) => File.WriteAllText(Path.Combine(root, ".nuke", "parameters.json"),
                "{\n  \"Version\": \"1.0.0\",\n  \"Platform\": [linux/amd64]\n}")),
        new("41 parameters.json unknown key", ".nuke/parameters.json {\"Platfrom\": ...}", Merge(), "Platfrom",
            (root, _) => File.WriteAllText(Path.Combine(root, ".nuke", "parameters.json"), "{ \"Platfrom\": [\"linux/amd64\"] }")),
        new("42 unknown target", "MergeManifests", ["MergeManifests"], "MergeManifests"),
        new("43 duplicate target", "two components declaring MergeManifest", ["MergeManifest"], "Target 'MergeManifest' is declared twice",
            null, "duplicate-build"),
        new("44 missing Dockerfile", "BuildApp with no Dockerfile", ["BuildApp", "--skip", "--platform", "linux/amd64"], "Dockerfile",
            (root, _) => File.Delete(Path.Combine(root, "Dockerfile"))),
        // Services that answer wrongly
        new("45 registry that is not a registry", "--registry <web server, 404 on /v2/>", Merge("--registry", "NOTREGISTRY"), "NOTREGISTRY",
            DigestFile("linux-amd64.json", Record(repository: "NOTREGISTRY/multiarch/hardening")), "not-registry"),
        new("46 wrong registry password", "--registry-password <wrong> (htpasswd registry)",
            Merge("--registry-username", "hardening", "--registry-password", Password),
            "REGISTRY", DigestFile("linux-amd64.json", Record()), "htpasswd"),
        new("47 GitHub token the API rejects", "--github-token <wrong>",
            ["CleanupUntagged", "--skip", "--confirm", "--github-token", Token, "--github-api-url", "GITHUBAPI"],
            "token", null, "github"),
        // Round two (issue 13)
        new("48 registry without a dot", "--registry ghcr", Merge("--registry", "ghcr"), "did you mean ghcr.io?"),
        new("49 registry 'null'", "--registry null", Merge("--registry", "null"), "'null'"),
        new("50 parameters.json key twice", ".nuke/parameters.json {\"Version\": ..., \"version\": ...}", Merge(), "'version'",
            (root, _) => File.WriteAllText(Path.Combine(root, ".nuke", "parameters.json"),
                "{ \"Version\": \"1.0.0\", \"version\": \"2.0.0\" }")),
        new("51 digests folder links to /", "digests/digests-x-arm64 -> /", Merge(), "outside", (_, d) => Link(d, "digests-x-arm64", "/")),
        new("52 digests folder link loop", "digests/leg/again -> ..", Merge(), "loop",
            (_, d) => Link(Path.Combine(d, "leg"), "again", "..")),
        new("53 FIFO named like a record", "digests/leg/linux-amd64.json is a FIFO", Merge(), "not a regular file",
            (_, d) => Fifo(Path.Combine(d, "leg"), "linux-amd64.json")),
        new("54 digests folder is a file", "--digests-directory <a file>", Merge("--digests-directory", "MISSING"),
            "is a file, not a folder",
            (root, _) => File.WriteAllText(Path.Combine(root, "missing"), "{}")),
        new("55 empty version", "--version ''", MergeWithRecord("--version", ""), "Version is empty", GoodRecord),
        new("56 platform given twice", "--platform linux/amd64 linux/amd64", Merge("--platform", "linux/amd64", "linux/amd64"),
            "given twice"),
        // Round two, the rest (issue 13, items 11 and 12; 57 and 58 are in PushCredentialTests)
        new("59 version of 124 characters", "--version " + new string('9', 124), MergeWithRecord("--version", new string('9', 124)),
            "is 124 characters: use at most 119", GoodRecord),
        new("60 version of 124 characters, base stage", "BuildBase --version " + new string('9', 124),
            ["BuildBase", "--skip", "--platform", "linux/amd64", "--version", new string('9', 124)], "is 124 characters: use at most 119",
                null, "base-build"),
        new("61 registry answering HTML 200", "--registry <web server, 200 and a page everywhere>",
            Merge("--registry", "NOTREGISTRY", "--platform", "linux/amd64"),
            "answered HTML, not JSON: is this a registry?",
            DigestFile("linux-amd64.json", Record(repository: "NOTREGISTRY/multiarch/hardening")), "html-200"),
        new("62 password file missing", "--registry-password-file <missing>", MergeWithRecord("--registry-password-file", "MISSING"),
            "--registry-password-file MISSING does not exist", GoodRecord),
        new("63 password and password file", "--registry-password <pw> --registry-password-file <file>",
            MergeWithRecord("--registry-password", Password, "--registry-password-file", "MISSING"), "are both given", WithFile(Password)),
        new("65 GitHub API answering HTML 200", "--github-api-url <web server, 200 and a page everywhere>",
            ["CleanupUntagged", "--skip", "--confirm", "--github-token", Token, "--github-api-url", "http://NOTREGISTRY/"],
                "did not answer with GitHub's JSON", null, "html-200"),
        new("64 password file empty", "--registry-password-file <empty file>", MergeWithRecord("--registry-password-file", "MISSING"),
            "is empty", WithFile("\n")),
    };

    // A good record, and a file named 'missing' in the build root holding this content.
    static Action<string, string> WithFile(string content) => (root, digests) =>
    {
        GoodRecord(root, digests);
        File.WriteAllText(Path.Combine(root, "missing"), content);
    };

    static void Link(string folder, string name, string target)
    {
        Directory.CreateDirectory(folder);
        Directory.CreateSymbolicLink(Path.Combine(folder, name), target);
    }

    static void Fifo(string folder, string name)
    {
        Directory.CreateDirectory(folder);
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [Path.Combine(folder, name)])!;
        mkfifo.WaitForExit();
    }

    [SkippableTheory]
    [MemberData(nameof(Corpus))]
    public async Task Bad_input_gives_one_line_naming_it_and_changes_nothing(Case @case)
    {
        ServiceRequirement.Require(Service.Registry);
        await using var registry = await RegistryProcess.StartAsync(@case.Target == "htpasswd" ? RegistryMode.Htpasswd : RegistryMode.Open);
        await using var api = await FakeGitHubPackagesApi.StartAsync("ghp_the_right_token_is_not_this_one");
        await using var web = await NotARegistry.StartAsync(@case.Target == "html-200" ? 200 : 404);
        api.AddOwner("multiarch", organization: true);
        var root = Directory.CreateTempSubdirectory("multiarch-badinput-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, ".nuke"));
            File.WriteAllText(Path.Combine(root, "Dockerfile"), "FROM scratch\n");
            var digests = Path.Combine(root, "digests");
            var webHost = web.Host;
            string Fill(string text) => text.Replace("NOTREGISTRY", webHost).Replace("REGISTRY", registry.Host)
                .Replace("GITHUBAPI", api.BaseAddress.ToString()).Replace("MISSING", Path.Combine(root, "missing"));
            if (@case.Setup is { } setup)
            {
                setup(root, digests);
                foreach (var file in Directory.Exists(digests) ? Directory.GetFiles(digests) : [])
                    File.WriteAllText(file, Fill(File.ReadAllText(file)));
            }
            var args = @case.Args.Select(Fill).ToList();
            if (!args.Contains("--registry")) args.AddRange(["--registry", registry.Host]);
            if (!args.Contains("--version")) args.AddRange(["--version", "1.0.0"]);
            if (!args.Contains("--digests-directory")) args.AddRange(["--digests-directory", digests]);
            var output = new StringWriter();
            var environment = new Dictionary<string, string> { ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "",
                ["HOME"] = root };

            var options = new BuildRunOptions { Output = TextWriter.Synchronized(output), Environment = environment,
                RootDirectory = new AbsolutePath(root) };
            var exit = await Task.Run(() => @case.Target switch
            {
                "duplicate-build" => TargetBuild.Execute<DuplicateTargetBuild>([.. args], options),
                "base-build" => TargetBuild.Execute<BaseStageBuild>([.. args], options),
                _ => TargetBuild.Execute<HardeningBuild>([.. args], options),
            });

            var text = output.ToString();
            var errors = text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Contains("error: ", StringComparison.Ordinal)).ToList();
            var message = errors.FirstOrDefault()?.Trim() ?? "";
            var expected = Fill(@case.Expect);
            var ok = exit != 0 && errors.Count == 1 && message.Contains(expected, StringComparison.Ordinal);
            Ledger.BadInputs.Enqueue(new BadInputFigure(@case.Name, @case.Input, exit,
                message.Replace(root, "<root>").Replace(registry.Host, "127.0.0.1:PORT").Replace(webHost, "127.0.0.1:WEBPORT"), ok));

            exit.Should().NotBe(0, text);
            errors.Should().ContainSingle(text);
            message.Should().Contain(expected);
            text.Should().NotContain(Password).And.NotContain(Token);
            using var client = registry.CreateClient();
            (await client.ListRepositoriesAsync()).Should().BeEmpty("a bad input must push nothing");
            api.DeleteRequests.Should().Be(0, "a bad input must delete nothing");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
