using MultiArch.Testing;

namespace MultiArch.Workflows.Local.Tests;

/// <summary>
/// The local runner models the hosted runners closely enough to catch what the generator gets wrong: legs at once up
/// to max-parallel, if: evaluated per event, upload-artifact v6 (re-runs, hidden files, merge-multiple), setup actions
/// emulated or said not to be, and arm64 legs that say they ran emulated here.
/// </summary>
[Trait("Category", "Unit")]
public sealed class LocalRunnerHostedModelTests : IDisposable
{
    readonly TempDirectory _workspace = new();
    readonly TempDirectory _work = new();

    public void Dispose()
    {
        _workspace.Dispose();
        _work.Dispose();
    }

    LocalWorkflowRunner Runner(string eventName = "workflow_dispatch", string? workDirectory = null, bool fork = false) =>
        new(new LocalRunOptions
    {
        Workspace = _workspace.Path,
        WorkDirectory = workDirectory ?? _work.Path,
        WorkspaceMode = LocalWorkspaceMode.CopyPerLeg,
        GitHub = new LocalGitHubContext { EventName = eventName, Fork = fork },
    });

    static Workflow Read(string yaml) => WorkflowReader.Read(yaml.ReplaceLineEndings("\n"));

    // Each leg marks itself running, waits (bounded) until the expected number run, and records how many ran then:
    // below the cap it never gets there, and the cap keeps it from going over.
    static string ConcurrencyWorkflow(string shared, string? maxParallel, int expected) => $$$"""
        name: Parallel
        on:
          workflow_dispatch: {}
        jobs:
          legs:
            runs-on: ubuntu-24.04
            strategy:
              fail-fast: false
              {{{(maxParallel is null ? "" : "max-parallel: " + maxParallel)}}}
              matrix:
                leg: [a, b, c]
            steps:
              - run: |
                  touch "{{{shared}}}/running-${{ matrix.leg }}"
                  for i in $(seq 1 400); do [ "$(ls "{{{shared}}}" | grep -c '^running-')" -ge {{{expected}}} ] && break; sleep 0.05; done
                  ls "{{{shared}}}" | grep -c '^running-' >> "{{{shared}}}/seen"
                  sleep 0.3
                  rm "{{{shared}}}/running-${{ matrix.leg }}"
        """;

    [Theory]
    [InlineData(null, 3)]
    [InlineData("2", 2)]
    [InlineData("1", 1)]
    public async Task Legs_run_at_once_up_to_max_parallel(string? maxParallel, int expected)
    {
        var shared = Directory.CreateDirectory(Path.Combine(_work.Path, "shared")).FullName;

        var result = await Runner().RunAsync(Read(ConcurrencyWorkflow(shared, maxParallel, expected)));

        result.Succeeded.Should().BeTrue();
        File.ReadAllLines(Path.Combine(shared, "seen")).Select(int.Parse).Max().Should().Be(expected);
    }

    const string EventWorkflow = """
        name: Events
        on:
          push: {}
          pull_request: {}
        jobs:
          build:
            runs-on: ubuntu-24.04
            steps:
              - name: Build
                run: echo built
              - name: Publish
                if: github.event_name != 'pull_request' && github.event.repository.fork != true
                run: echo published
          merge:
            needs: build
            if: github.event_name != 'pull_request'
            runs-on: ubuntu-24.04
            steps:
              - run: echo merged
        """;

    [Fact]
    public async Task A_pull_request_run_skips_publishing_steps_and_jobs_and_says_why()
    {
        var result = await Runner("pull_request").RunAsync(Read(EventWorkflow));

        result.Succeeded.Should().BeTrue();
        var steps = result["build"].Legs.Single().Steps;
        steps.Single(s => s.Name == "Build").Status.Should().Be(LocalStatus.Succeeded);
        steps.Single(s => s.Name == "Publish").Should().Match<LocalStepResult>(s => s.Status == LocalStatus.Skipped
            && s.Reason == "if: github.event_name != 'pull_request' && github.event.repository.fork != true");
        result["merge"].Should().Match<LocalJobResult>(j => j.Status == LocalStatus.Skipped
            && j.Reason == "if: github.event_name != 'pull_request'");
    }

    [Fact]
    public async Task A_push_runs_the_publishing_steps_and_a_workflow_without_the_events_trigger_runs_nothing()
    {
        var push = await Runner("push").RunAsync(Read(EventWorkflow));
        push["build"].Legs.Single().Steps.Single(s => s.Name == "Publish").Status.Should().Be(LocalStatus.Succeeded);
        push["merge"].Status.Should().Be(LocalStatus.Succeeded);

        var scheduled = await Runner("schedule").RunAsync(Read(EventWorkflow));
        scheduled.Jobs.Should().OnlyContain(j => j.Status == LocalStatus.Skipped && j.Reason!.Contains("has no schedule trigger"));
    }

    [Fact]
    public async Task A_forks_push_skips_the_steps_guarded_for_forks()
    {
        var result = await Runner("push", fork: true).RunAsync(Read(EventWorkflow));

        result["build"].Legs.Single().Steps.Single(s => s.Name == "Publish").Status.Should().Be(LocalStatus.Skipped);
        result["build"].Legs.Single().Steps.Single(s => s.Name == "Build").Status.Should().Be(LocalStatus.Succeeded);
    }

    static string ArtifactWorkflow(bool overwrite) => $$$"""
        name: Artifacts
        on:
          workflow_dispatch: {}
        jobs:
          produce:
            runs-on: ubuntu-24.04
            strategy:
              matrix:
                leg: [a, b]
            steps:
              - run: |
                  mkdir -p out/.cache
                  echo "${{ matrix.leg }}" > "out/${{ matrix.leg }}.txt"
                  echo hidden > out/.cache/state
                  echo hidden > out/.env
              - uses: actions/upload-artifact@v6
                with:
                  name: 'files-${{ matrix.leg }}'
                  path: out
                  {{{(overwrite ? "overwrite: true" : "")}}}
          consume:
            needs: produce
            runs-on: ubuntu-24.04
            steps:
              - uses: actions/download-artifact@v7
                with:
                  pattern: 'files-*'
                  path: merged
                  merge-multiple: true
              - uses: actions/download-artifact@v7
                with:
                  pattern: 'files-*'
                  path: apart
              - run: find merged apart -type f | sort
        """;

    [Fact]
    public async Task Uploads_leave_hidden_files_out_and_merge_multiple_puts_every_artifact_in_one_folder()
    {
        var result = await Runner().RunAsync(Read(ArtifactWorkflow(overwrite: true)));

        result.Succeeded.Should().BeTrue();
        Directory.GetFiles(Path.Combine(result.ArtifactsDirectory, "files-a"), "*", SearchOption.AllDirectories).Select(Path.GetFileName)
            .Should().Equal("a.txt");
        result["produce"].Legs[0].Steps[1].Reason.Should().Contain("2 hidden file(s) left out");
        result["consume"].Legs.Single().Steps[2].Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Should().Equal("apart/files-a/a.txt", "apart/files-b/b.txt", "merged/a.txt", "merged/b.txt");
    }

    [Fact]
    public async Task A_re_run_uploads_again_only_with_overwrite_as_GitHub_answers_409_otherwise()
    {
        (await Runner().RunAsync(Read(ArtifactWorkflow(overwrite: true)))).Succeeded.Should().BeTrue();
        var rerun = await Runner().RunAsync(Read(ArtifactWorkflow(overwrite: true)));
        rerun.Succeeded.Should().BeTrue("the same legs upload their own names again");

        using var other = new TempDirectory();
        (await Runner(workDirectory: other.Path).RunAsync(Read(ArtifactWorkflow(overwrite: false)))).Succeeded.Should().BeTrue();
        var strict = await Runner(workDirectory: other.Path).RunAsync(Read(ArtifactWorkflow(overwrite: false)));
        strict["produce"].Legs[0].Steps[1].Should().Match<LocalStepResult>(s => s.Status == LocalStatus.Failed
            && s.Reason!.Contains("409"));
    }

    const string SetupWorkflow = """
        name: Setup
        on:
          workflow_dispatch: {}
        jobs:
          legs:
            runs-on: '${{ matrix.runner }}'
            strategy:
              matrix:
                include:
                  - platform: linux/amd64
                    runner: ubuntu-24.04
                  - platform: linux/arm64
                    runner: ubuntu-24.04-arm
            steps:
              - uses: actions/setup-dotnet@v5
              - uses: docker/setup-buildx-action@v4
              - run: echo "arch=${{ runner.arch }}"
        """;

    [Fact]
    public async Task Setup_actions_that_cannot_be_had_here_say_not_emulated_and_an_arm64_leg_says_it_ran_emulated()
    {
        var result = await Runner().RunAsync(Read(SetupWorkflow));

        result.Succeeded.Should().BeTrue();
        foreach (var leg in result["legs"].Legs)
        {
            leg.Steps[0].Should().Match<LocalStepResult>(s => s.Status == LocalStatus.Skipped
                && s.Reason!.StartsWith("not emulated: this machine's .NET SDK"));
            leg.Steps[1].Reason.Should().StartWith("not emulated: no buildx here");
        }
        var arm = result["legs"].Legs.Single(l => l.Matrix["runner"] == "ubuntu-24.04-arm");
        arm.Steps[2].Output.Should().Contain("arch=ARM64");
        if (System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.X64)
        {
            arm.Note.Should().Contain("ubuntu-24.04-arm is ARM64, this machine is X64").And.Contain("containers under QEMU " +
                "emulation (linux/arm64, ubuntu-24.04-arm)");
            result["legs"].Legs.Single(l => l.Matrix["runner"] == "ubuntu-24.04").Note.Should().BeNull();
        }
    }
}
