using MultiArch.Testing;
using System.Text.RegularExpressions;
using MultiArch.Workflows;
using MultiArch.Workflows.Local;

namespace MultiArch.Components.Tests;

/// <summary>Structural promises every generated pipeline workflow keeps, checked on the golden builds' text read back.</summary>
[Trait("Category", "Unit")]
public sealed class WorkflowStructureTests
{
    public static TheoryData<string> Files => new() { "release", "dev", "dev-extra-platform", "pull-request", "main" };

    static Workflow Read(string file) => WorkflowReader.Read(GoldenWorkflowTests.Generate(file), file);

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_needs_names_an_earlier_job(string file)
    {
        var workflow = Read(file);
        var seen = new List<string>();
        foreach (var (id, job) in workflow.Jobs)
        {
            job.Needs.Should().BeSubsetOf(seen, $"job '{id}' may only need jobs declared before it");
            seen.Add(id);
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_download_pattern_matches_an_uploaded_name_of_a_needed_job(string file)
    {
        var workflow = Read(file);
        foreach (var (id, job) in workflow.Jobs)
            foreach (var leg in MatrixExpansion.Legs(job.Strategy))
                foreach (var download in job.Steps.Where(s => s.Uses?.Is("actions/download-artifact") == true))
                {
                    var pattern = Glob(Substitute(download.With.GetValueOrDefault("pattern") ?? download.With["name"], leg));
                    var uploaded = job.Needs.SelectMany(n => UploadedNames(workflow.Jobs[n])).ToList();
                    uploaded.Should().Contain(name => pattern.IsMatch(name),
                        $"job '{id}' leg {string.Join(",", leg.Values)} downloads {pattern}");
                    if (leg.TryGetValue("image", out var image))
                        uploaded.Where(n => pattern.IsMatch(n)).Should().OnlyContain(name => name.StartsWith($"digests-{image}-"),
                            "a per-image merge reads only its image's digests");
                }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Each_legs_platform_argument_equals_its_matrix_value(string file)
    {
        var workflow = Read(file);
        foreach (var (id, job) in workflow.Jobs.Where(j => j.Value.Strategy?.Include.Any(i => i.ContainsKey("platform")) == true))
            foreach (var leg in MatrixExpansion.Legs(job.Strategy))
                foreach (var run in job.Steps.Where(BuildStep))
                {
                    // What the shell sees: the step's env, matrix-substituted, expanded into the quoted "$NAME"s.
                    var command = run.Env.Aggregate(run.Run!, (t, e) => t.Replace($"\"${e.Key}\"", Substitute(e.Value, leg)));
                    Regex.Match(command, @"--platform (\S+)").Groups[1].Value.Should().Be(leg["platform"], $"job '{id}' runs `{command}`");
                }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Fan_in_jobs_build_nothing_and_skip_what_earlier_jobs_ran(string file)
    {
        var graph = GoldenWorkflowTests.Graph(file);
        var workflow = Read(file);
        foreach (var (id, job) in workflow.Jobs.Where(j => j.Value.Needs.Count > 0))
            foreach (var run in job.Steps.Where(BuildStep))
            {
                // A bare --skip skips every dependency; a leg names the needed jobs' targets it must not rerun (Prepare).
                var skip = Regex.Match(run.Run!, @" --skip((?: \w+)*)$");
                skip.Success.Should().BeTrue($"job '{id}' must not rerun its dependencies: `{run.Run}`");
                var ranBefore = job.Needs.SelectMany(n => workflow.Jobs[n].Steps).Select(s => s.Name).OfType<string>()
                    .Where(n => n.StartsWith("Run ")).SelectMany(n => n.Split(' ').Skip(1));
                skip.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Should().BeSubsetOf(ranBefore, $"job '{id}'");
                if (job.Strategy?.Include.Any(i => i.ContainsKey("platform")) == true) continue;
                var targets = run.Run!.Split(' ').Skip(1).TakeWhile(w => !w.StartsWith('-'));
                targets.Select(t => graph[t]).Should().OnlyContain(t => !t.PartitionAxes.Contains("platform"),
                    $"job '{id}' builds no platform");
            }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void No_untrusted_event_field_is_spliced_into_a_script(string file)
    {
        var workflow = Read(file);
        var scripts = workflow.Jobs.Values.SelectMany(j => j.Steps).Select(s => s.Run).OfType<string>().ToList();
        scripts.Should().NotBeEmpty();
        scripts.Should().NotContain(s => s.Contains("github.event.") || s.Contains("inputs.") || s.Contains("secrets."));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Secrets_appear_only_as_references_inside_env_or_with(string file)
    {
        var workflow = Read(file);
        workflow.Env.Values.Should().NotContain(v => v.Contains("secrets."));
        foreach (var step in workflow.Jobs.Values.SelectMany(j => j.Steps))
        {
            (step.Run ?? "").Should().NotContain("secrets.");
            step.Env.Values.Concat(step.With.Values).Where(v => v.Contains("secrets."))
                .Should().NotContain(v => !Regex.IsMatch(v, @"^\$\{\{ secrets\.[A-Za-z_][A-Za-z0-9_]* \}\}$"));
        }
    }

    [Fact]
    public void No_secret_value_reaches_the_generated_text_even_when_the_build_has_it()
    {
        const string secret = "s3cr3t-token-value-1234";
        using var root = new TempDirectory();
        var run = WorkflowGeneration.Run<ReleaseBuild>(root.Path,
            new Dictionary<string, string> { ["MULTIARCH_REGISTRY_PASSWORD"] = secret }, "GenerateWorkflows");

        run.ExitCode.Should().Be(0, run.ToString());
        var texts = Directory.GetFiles(root.File(".github/workflows")).Select(File.ReadAllText).ToList();
        texts.Should().HaveCount(3).And.OnlyContain(t => !t.Contains(secret));
        texts.Should().Contain(t => t.Contains("${{ secrets.REGISTRY_TOKEN }}"));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Workflow_grants_nothing_and_each_job_only_what_it_needs(string file)
    {
        var workflow = Read(file);
        workflow.Permissions.Scopes.Should().BeEmpty();
        foreach (var (id, job) in workflow.Jobs)
        {
            job.Permissions!.Scopes["contents"].Should().Be("read");
            // Publishing is a registry login, or deleting package versions through the API (CleanupUntagged, no login).
            var publishes = job.Steps.Any(s => s.Uses?.Is("docker/login-action") == true || s.Run?.Contains("CleanupUntagged") == true);
            job.Permissions.Scopes.ContainsKey("packages").Should().Be(publishes, $"job '{id}' writes packages only when it publishes");
        }
    }

    [Fact]
    public void Pull_request_workflow_never_publishes_nor_merges()
    {
        var workflow = Read("pull-request");

        workflow.Jobs.Keys.Should().Equal("prepare", "build");
        var steps = workflow.Jobs["build"].Steps;
        // PR mode: every per-leg target, the publishing ones against the job's own registry service.
        var run = steps.Where(BuildStep).Should().ContainSingle().Which;
        run.Run.Should().Be("./build.sh ExportDigest --image \"$MATRIX_IMAGE\" --platform \"$MATRIX_PLATFORM\" --registry "
            + "\"$PULL_REQUEST_REGISTRY\" --skip Prepare");
        run.Env["PULL_REQUEST_REGISTRY"].Should().Be("127.0.0.1:${{ job.services.registry.ports['5000'] }}");
        run.Env.Values.Should().NotContain(v => v.Contains("secrets."), "a pull request's build logs in nowhere");
        var service = workflow.Jobs["build"].Services.Should().ContainKey("registry").WhoseValue;
        service.Image.Should().Be("registry:3");
        service.Ports.Should().Equal("5000/tcp");
        steps.Should().NotContain(s => s.Uses != null && (s.Uses.Is("docker/login-action") || s.Uses.Is("actions/upload-artifact")));
        workflow.Jobs["build"].Permissions!.Scopes.Should().NotContainKey("packages");
    }

    [Fact]
    public void Mixed_triggers_guard_publishing_for_pull_requests_and_forks()
    {
        var workflow = Read("main");
        const string notPr = "github.event_name != 'pull_request' && github.event.repository.fork != true";

        workflow.Jobs["merge"].If.Should().Be(notPr);
        workflow.Jobs["cleanup"].If.Should().Be(notPr);
        var build = workflow.Jobs["build"].Steps;
        const string buildOnly = "github.event_name == 'pull_request' || github.event.repository.fork == true";
        var pr = build.Single(s => s.Run == "./build.sh ExportDigest --image \"$MATRIX_IMAGE\" --platform \"$MATRIX_PLATFORM\" "
            + "--registry \"$PULL_REQUEST_REGISTRY\" --skip Prepare");
        pr.If.Should().Be(buildOnly, "a fork's push builds like a pull request");
        pr.Env.Values.Should().NotContain(v => v.Contains("secrets."));
        workflow.Jobs["build"].Services["registry"].Image.Should().Be($"${{{{ ({buildOnly}) && 'registry:3' || '' }}}}",
            "the throwaway registry starts only for the runs that publish nothing");
        build.Single(s => s.Run == "./build.sh ExportDigest --image \"$MATRIX_IMAGE\" --platform \"$MATRIX_PLATFORM\" --skip Prepare")
            .If.Should().Be(notPr);
        build.Where(s => s.Uses?.Is("docker/login-action") == true || s.Uses?.Is("actions/upload-artifact") == true)
            .Should().HaveCount(2).And.OnlyContain(s => s.If == notPr);
    }

    // The build's own steps, not a setup script (the AArch32 probe).
    static bool BuildStep(Step step) => step.Run?.StartsWith("./build.sh ", StringComparison.Ordinal) == true;

    static IEnumerable<string> UploadedNames(Job job) =>
        MatrixExpansion.Legs(job.Strategy).SelectMany(leg => job.Steps
            .Where(s => s.Uses?.Is("actions/upload-artifact") == true)
            .Select(s => Substitute(s.With["name"], leg)));

    static string Substitute(string text, IReadOnlyDictionary<string, string> leg) =>
        leg.Aggregate(text, (t, e) => t.Replace($"${{{{ matrix.{e.Key} }}}}", e.Value));

    static Regex Glob(string pattern) => new("^" + Regex.Escape(pattern).Replace(@"\*", ".*") + "$");
}
