using Xunit.Abstractions;
using System.Text;
using MultiArch.Oci;
using MultiArch.Testing;

namespace MultiArch.Components.Tests;

// The generated release workflow, run here by RunWorkflowLocally for a push: matrix legs in parallel as separate
// processes in their own copies of the tree, each behind its own second dockerd (setup-docker-action emulated, with
// set-host), digests handed to the merge job only through the emulated artifacts. It must publish what
// `./build.sh MergeManifest` publishes from the same per-arch images, commit and version: the same index, byte for byte.
// A pull-request run afterwards must leave the registry byte-identical: same catalog, same tags, same manifests, same
// stored files.
[Trait("Category", "Docker")]
public sealed class ReleaseWorkflowLocalRunTests(ITestOutputHelper log)
{
    const Service Needs = Service.Docker | Service.Qemu | Service.Registry | Service.Skopeo;

    [SkippableFact]
    public async Task Local_run_of_the_release_workflow_publishes_the_same_two_platform_index_as_build_sh_MergeManifest()
    {
        ServiceRequirement.Require(Needs);
        await using var sandbox = await PipelineSandbox.StartAsync();
        var version = sandbox.Version;

        var local = await sandbox.RunScriptAsync(
            ["RunWorkflowLocally", "--local-workflow", "release", "--local-event", "push", "--local-env",
                $"MULTIARCH_REGISTRY={sandbox.Registry.Host}", $"MULTIARCH_BASE_IMAGE={HelloBuild.BusyboxIndex}",
                $"MULTIARCH_VERSION={version}"],
            new Dictionary<string, string>());
        local.ExitCode.Should().Be(0, local.ToString());
        log.WriteLine("push run:\n" + Summary(local.Output));
        local.Output.Should().Contain("build: Succeeded (5/5 legs)").And.Contain("merge: Succeeded");
        local.Output.Should().Contain("Uploaded artifact 'digests-hello--arm64'")
            .And.Contain("merge: Succeeded (2/2 legs)", "a merge leg per image")
            .And.Contain("Downloaded digests-hello--amd64, digests-hello--arm64 to", "the hello leg downloads only hello's digests");

        var raw = Encoding.UTF8.GetBytes(await Skopeo.InspectRawAsync(sandbox.Reference(version)));
        ImageIndex.Parse(raw).Manifests.Select(m => m.Platform?.ToString()).Should().BeEquivalentTo(["linux/amd64", "linux/arm64"]);
        var fromWorkflow = Digest.Compute(raw);

        // The same inputs the merge job saw (the legs' digests, commit, repository, version), through the plain command a
        // user runs. The per-arch images themselves cannot be compared with a fresh `./build.sh MergeManifest`: each leg
        // built in its own new engine (as on a runner), and Docker 20.10's BuildKit stamps RUN layers and configs with
        // the build time, so only a build sharing the cache reproduces them.
        var head = local.Output.Split('\n').First(l => l.Contains("@sha256:") && l.Contains("/multiarch/hello:"));
        var downloaded = System.Text.RegularExpressions.Regex
            .Match(local.Output, @"Downloaded digests-hello--[^\n]* to (\S+)\.").Groups[1].Value;
        Directory.Exists(downloaded).Should().BeTrue($"the merge leg's digests folder ({downloaded}) is kept");
        var direct = await sandbox.RunScriptAsync(
            ["MergeManifest", "--image", "hello", "--skip", "--digests-directory", downloaded],
            new Dictionary<string, string>
            {
                ["GITHUB_REPOSITORY"] = "local/repository",
                ["GITHUB_SHA"] = Git("rev-parse", "HEAD"),
            });
        direct.ExitCode.Should().Be(0, direct.ToString());
        direct.Output.Should().Contain($"{sandbox.Reference(version)}@{fromWorkflow}", $"the workflow published {head.Trim()}");
        local.Output.Should().Contain("emulated: second dockerd on ").And.Contain("DOCKER_HOST set")
            .And.Contain("ubuntu-24.04-arm is ARM64, this machine is X64");

        // A pull request: the development workflow runs every leg's targets against a throwaway registry and publishes
        // nothing (the --local-env registry is the one it must not touch); the release workflow has
        // no pull_request trigger and runs nothing at all.
        var before = await RegistrySnapshot.TakeAsync(sandbox.Registry);
        var environment = new Dictionary<string, string>();
        var pr = await sandbox.RunScriptAsync(
            ["RunWorkflowLocally", "--local-workflow", "dev", "--local-event", "pull_request", "--local-env",
                $"MULTIARCH_REGISTRY={sandbox.Registry.Host}", $"MULTIARCH_BASE_IMAGE={HelloBuild.BusyboxIndex}",
                $"MULTIARCH_VERSION={version}"],
            environment);
        pr.ExitCode.Should().Be(0, pr.ToString());
        log.WriteLine("pull_request run of dev:\n" + Summary(pr.Output));
        pr.Output.Should().Contain("build: Succeeded (5/5 legs)").And.Contain("merge: Skipped").And.Contain("cleanup: Skipped")
            .And.Contain("Run BuildBase BuildApp PushArch ExportDigest: skipped (if: github.event_name != 'pull_request'")
            .And.Contain("Service registry (registry:3): modelled by", "PR mode: every leg pushes to its own throwaway registry");
        var releasePr = await sandbox.RunScriptAsync(
            ["RunWorkflowLocally", "--local-workflow", "release", "--local-event", "pull_request", "--local-env",
            $"MULTIARCH_REGISTRY={sandbox.Registry.Host}"], environment);
        releasePr.ExitCode.Should().Be(0, releasePr.ToString());
        releasePr.Output.Should().Contain("has no pull_request trigger, so GitHub would not run it");
        var after = await RegistrySnapshot.TakeAsync(sandbox.Registry);
        after.Should().Equal(before, "a pull-request run pushes nothing: catalog, tags, manifests and stored files are unchanged");
        log.WriteLine(
            $"registry before/after the pull-request runs: {before.Count} identical lines "
            + $"({before.Count(l => l.StartsWith("tag "))} tags); index {fromWorkflow}");
    }

    // The run's summary table and per-job lines (what RunWorkflowLocally prints last).
    static string Summary(string output) => string.Join("\n", output.Split('\n')
        .Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^(\s*(build|merge|cleanup): |\s+runs-on |RunWorkflowLocally )")));

    static string Git(params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git")
        {
            WorkingDirectory = RepositoryRoot.Path, RedirectStandardOutput = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return output;
    }
}
