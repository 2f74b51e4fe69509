using MultiArch.Testing;

namespace MultiArch.Workflows.Local.Tests;

/// <summary>setup-docker-action emulated with a real second dockerd: with set-host the leg's DOCKER_HOST is the new
/// engine; without it only the CLI context moves, and DOCKER_HOST readers still see the stock daemon (defect 3).</summary>
[Trait("Category", "Docker")]
public sealed class LocalSetupDockerTests : IDisposable
{
    readonly TempDirectory _workspace = new();
    readonly TempDirectory _work = new();

    public void Dispose()
    {
        _workspace.Dispose();
        _work.Dispose();
    }

    static string Workflow(string setHost) => $$$"""
        name: Engine
        on:
          workflow_dispatch: {}
        jobs:
          leg:
            runs-on: ubuntu-24.04
            steps:
              - id: docker
                uses: docker/setup-docker-action@v5
                with:
                  daemon-config: '{"features":{"containerd-snapshotter":true}}'
                  set-host: {{{setHost}}}
              - run: |
                  echo "host=${DOCKER_HOST:-unset}"
                  echo "sock=${{ steps.docker.outputs.sock }}"
                  echo "context=$(/usr/bin/docker context inspect --format '{{.Name}}')"
                  echo "cli-root=$(/usr/bin/docker info --format '{{.DockerRootDir}}')"
                  echo "host-root=$(DOCKER_CONTEXT= /usr/bin/docker --host "${DOCKER_HOST:-unix:///var/run/docker.sock}" info --format '{{.DockerRootDir}}')"
        """;

    [SkippableTheory]
    [InlineData("true")]
    [InlineData("false")]
    public async Task A_second_engine_runs_on_its_own_socket_and_set_host_decides_what_DOCKER_HOST_readers_see(string setHost)
    {
        ServiceRequirement.Require(Service.Docker);
        Skip.IfNot(File.Exists("/usr/sbin/dockerd") || File.Exists("/usr/bin/dockerd"), "dockerd is not installed");
        var stock = await Docker("info", "--format", "{{.DockerRootDir}}");
        var runner = new LocalWorkflowRunner(new LocalRunOptions { Workspace = _workspace.Path, WorkDirectory = _work.Path });

        var result = await runner.RunAsync(WorkflowReader.Read(Workflow(setHost)));

        result.Succeeded.Should().BeTrue(string.Join("\n",
            result.Jobs.SelectMany(j => j.Legs).SelectMany(l => l.Steps).Select(s => $"{s.Name}: {s.Reason}\n{s.Output}")));
        var steps = result["leg"].Legs.Single().Steps;
        steps[0].Reason.Should().StartWith("emulated: second dockerd on ");
        steps[1].Status.Should().Be(LocalStatus.Succeeded, steps[1].Output);
        var lines = steps[1].Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains('='))
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        lines.Keys.Should().Contain(["host", "sock", "context", "cli-root", "host-root"], steps[1].Output);
        var engineRoot = Path.Combine(Path.GetDirectoryName(lines["sock"])!, "data");
        lines["cli-root"].Should().Be(engineRoot, "the docker CLI follows DOCKER_HOST, else the context the action switched to");
        if (setHost == "true")
        {
            lines["host"].Should().Be("unix://" + lines["sock"]);
            lines["host-root"].Should().Be(engineRoot, "with set-host, DOCKER_HOST readers see the engine the builds use");
            lines["context"].Should().Be("default", "the CLI reports DOCKER_HOST as the default context");
        }
        else
        {
            lines["host"].Should().Be("unset");
            lines["host-root"].Should().Be(stock, "without set-host a DOCKER_HOST reader inspects the runner's stock daemon");
            lines["context"].Should().Be(LocalDockerEngine.DefaultContext, "only the CLI context moved");
        }
        Directory.Exists(Path.GetDirectoryName(lines["sock"])).Should().BeFalse("the engine is stopped and removed when the leg ends");
    }

    static async Task<string> Docker(params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("/usr/bin/docker", arguments) { RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Trim();
    }
}
