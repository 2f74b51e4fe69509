using MultiArch.Testing;

namespace MultiArch.Workflows.Local.Tests;

/// <summary>
/// actions/cache@v5 in the local runner: a miss restores nothing and the post step saves, an exact hit restores and
/// does not save, a restore-keys prefix restores the stale entry and saves under the new key, a failed job saves
/// nothing; <c>~</c> paths go to the runner's home.
/// </summary>
[Trait("Category", "Unit")]
public sealed class LocalRunnerCacheTests : IDisposable
{
    readonly TempDirectory _workspace = new();
    readonly TempDirectory _cache = new();
    readonly TempDirectory _home = new();
    readonly List<TempDirectory> _works = [];

    public LocalRunnerCacheTests()
    {
        Directory.CreateDirectory(Path.Combine(_workspace.Path, "src"));
        File.WriteAllText(Path.Combine(_workspace.Path, "src", "input.txt"), "one");
    }

    public void Dispose()
    {
        foreach (var work in _works) work.Dispose();
        _workspace.Dispose();
        _cache.Dispose();
        _home.Dispose();
    }

    // The step after the cache builds out/built and ~/tool/version only when nothing was restored, and says which it was.
    const string Yaml = """
        name: Cached
        on:
          workflow_dispatch:
            inputs:
              fail:
                type: string
                default: 'false'
              run:
                type: string
                default: '1'
        jobs:
          build:
            runs-on: ubuntu-24.04
            steps:
              - name: Cache
                id: cache
                uses: actions/cache@v5
                with:
                  path: |
                    out
                    ~/tool
                  key: "deps-${{ hashFiles('src/**') }}"
                  restore-keys: |
                    deps-
              - name: Build
                run: |
                  echo "cache-hit=[${{ steps.cache.outputs.cache-hit }}]"
                  if [ -f out/built ]; then echo "restored $(cat out/built) and $(cat ~/tool/version)"; exit 0; fi
                  mkdir -p out ~/tool
                  echo "run ${{ inputs.run }}" > out/built
                  echo "tool ${{ inputs.run }}" > ~/tool/version
              - name: Test
                run: '[ "${{ inputs.fail }}" != true ] || exit 3'
        """;

    async Task<LocalLegResult> RunAsync(string run, bool fail = false, string yaml = Yaml)
    {
        var work = new TempDirectory();
        _works.Add(work);
        // A fresh runner each time: an empty home, a new work folder; only the cache folder is kept.
        foreach (var entry in Directory.GetFileSystemEntries(_home.Path)) Directory.Delete(entry, recursive: true);
        var runner = new LocalWorkflowRunner(new LocalRunOptions
        {
            Workspace = _workspace.Path,
            WorkDirectory = work.Path,
            CacheDirectory = _cache.Path,
            Home = _home.Path,
            Inputs = new Dictionary<string, string> { ["run"] = run, ["fail"] = fail ? "true" : "false" },
        });
        var result = await runner.RunAsync(WorkflowReader.Read(yaml.ReplaceLineEndings("\n")));
        return result["build"].Legs.Single();
    }

    static LocalStepResult Step(LocalLegResult leg, string name) => leg.Steps.Single(s => s.Name == name);

    string Key => "deps-" + LocalHashFiles.Compute(_workspace.Path, ["src/**"]);

    IReadOnlyList<string> SavedKeys() => Directory.GetDirectories(_cache.Path)
        .Select(folder => File.ReadAllLines(Path.Combine(folder, "entry"))[0]).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task A_miss_restores_nothing_and_the_post_step_saves_the_paths_under_the_key()
    {
        var leg = await RunAsync("1");

        leg.Status.Should().Be(LocalStatus.Succeeded);
        Step(leg, "Cache").Reason.Should().Be($"emulated: Cache not found for input keys: {Key}, deps-");
        Step(leg, "Build").Output.Should().Contain("cache-hit=[]", "a miss leaves cache-hit unset (actions/cache#1466)");
        Step(leg, "Post Cache").Reason.Should().Be($"Cache saved with key: {Key} (2 file(s)).");
        leg.Steps.Select(s => s.Name).Should().Equal("Cache", "Build", "Test", "Post Cache");
        SavedKeys().Should().Equal(Key);
    }

    [Fact]
    public async Task An_exact_hit_restores_into_the_workspace_and_the_home_and_saves_nothing()
    {
        await RunAsync("1");

        var leg = await RunAsync("2");

        leg.Status.Should().Be(LocalStatus.Succeeded);
        Step(leg, "Cache").Reason.Should().Be($"emulated: Cache restored from key: {Key} (2 file(s))");
        Step(leg, "Build").Output.Should().Contain("cache-hit=[true]").And.Contain("restored run 1 and tool 1");
        Step(leg, "Post Cache").Reason.Should().Be($"Cache hit occurred on the primary key {Key}, not saving cache.");
        SavedKeys().Should().Equal(Key);
    }

    [Fact]
    public async Task A_restore_keys_prefix_restores_the_stale_entry_and_the_new_key_is_saved()
    {
        await RunAsync("1");
        var stale = Key;
        File.WriteAllText(Path.Combine(_workspace.Path, "src", "input.txt"), "two");

        var leg = await RunAsync("2");

        Key.Should().NotBe(stale);
        Step(leg, "Cache").Reason.Should().Be($"emulated: Cache restored from key: {stale} (2 file(s))");
        Step(leg, "Build").Output.Should().Contain("cache-hit=[false]").And.Contain("restored run 1 and tool 1");
        Step(leg, "Post Cache").Reason.Should().Be($"Cache saved with key: {Key} (2 file(s)).");
        SavedKeys().Should().BeEquivalentTo([stale, Key]);
    }

    [Fact]
    public async Task A_failed_job_saves_nothing()
    {
        var leg = await RunAsync("1", fail: true);

        leg.Status.Should().Be(LocalStatus.Failed);
        Step(leg, "Test").Status.Should().Be(LocalStatus.Failed);
        Step(leg, "Post Cache").Should().Match<LocalStepResult>(s => s.Status == LocalStatus.Skipped
            && s.Reason!.Contains("post-if: success()"));
        Directory.GetDirectories(_cache.Path).Should().BeEmpty();

        var next = await RunAsync("2");
        Step(next, "Build").Output.Should().Contain("cache-hit=[]");
    }

    [Fact]
    public async Task An_entry_saved_with_other_paths_does_not_match()
    {
        await RunAsync("1");

        var leg = await RunAsync("2", yaml: Yaml.Replace("~/tool\n", "~/tool\n            ~/other\n"));

        Step(leg, "Cache").Reason.Should().StartWith("emulated: Cache not found", "the cache version is a hash of the path input");
        Step(leg, "Build").Output.Should().Contain("cache-hit=[]");
    }

    [Fact]
    public async Task A_key_with_a_comma_fails_the_step_with_the_actions_own_message()
    {
        var leg = await RunAsync("1", yaml: Yaml.Replace("key: \"deps-", "key: \"deps,"));

        Step(leg, "Cache").Should().Match<LocalStepResult>(s => s.Status == LocalStatus.Failed
            && s.Reason!.Contains("cannot contain commas"));
        leg.Steps.Should().NotContain(s => s.Name == "Post Cache", "a main step that failed registers no post step");
        Directory.GetDirectories(_cache.Path).Should().BeEmpty();
    }

    [Fact]
    public async Task HashFiles_in_a_key_reads_the_legs_own_workspace_not_the_callers_tree()
    {
        var leg = await RunAsync("1", yaml: Yaml.Replace("      - name: Cache\n",
            "      - run: echo generated > src/generated.txt\n      - name: Cache\n"));

        Step(leg, "Cache").Reason.Should().NotContain(Key, "the earlier step added a file to the leg's src/")
            .And.StartWith("emulated: Cache not found for input keys: deps-");
        File.Exists(Path.Combine(_workspace.Path, "src", "generated.txt")).Should().BeFalse();
    }

    [Fact]
    public async Task Each_step_records_when_it_started_and_the_leg_log_has_timestamped_lines()
    {
        var leg = await RunAsync("1");

        leg.Steps.Select(s => s.Started).Should().BeInAscendingOrder();
        var log = File.ReadAllLines(Path.Combine(_works[^1].Path, "legs", "build-1", "log.txt"));
        log.Should().Contain(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\+\d+\.\d{3} ##\[step\] Build$"))
            .And.Contain(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\+\d+\.\d{3} cache-hit=\[\]$"));
    }
}
