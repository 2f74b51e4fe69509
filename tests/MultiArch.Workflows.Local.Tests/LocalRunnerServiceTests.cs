using MultiArch.Testing;

namespace MultiArch.Workflows.Local.Tests;

/// <summary>
/// A job's <c>services:</c> as a hosted runner gives them: a registry service answers on the host port that
/// <c>job.services.registry.ports['5000']</c> names, its storage is gone after the job, an empty image starts nothing,
/// and an image that cannot be had here fails the leg saying so.
/// </summary>
[Trait("Category", "Registry")]
public sealed class LocalRunnerServiceTests : IDisposable
{
    readonly TempDirectory _workspace = new();
    readonly TempDirectory _work = new();

    public void Dispose()
    {
        _workspace.Dispose();
        _work.Dispose();
    }

    LocalWorkflowRunner Runner(string eventName) => new(new LocalRunOptions
    {
        Workspace = _workspace.Path,
        WorkDirectory = _work.Path,
        WorkspaceMode = LocalWorkspaceMode.CopyPerLeg,
        GitHub = new LocalGitHubContext { EventName = eventName },
    });

    static Workflow Read(string image) => WorkflowReader.Read($$$"""
        name: Services
        on:
          push: {}
          pull_request: {}
        jobs:
          build:
            runs-on: ubuntu-24.04
            services:
              registry:
                image: "{{{image}}}"
                ports:
                  - '5000/tcp'
            steps:
              - name: Use it
                env:
                  REGISTRY: "127.0.0.1:${{ job.services.registry.ports['5000'] }}"
                run: |
                  echo "registry=$REGISTRY"
                  if [ "$REGISTRY" = "127.0.0.1:" ]; then echo "no service"; exit 0; fi
                  curl -fsS "http://$REGISTRY/v2/" > /dev/null && echo "answers"
        """.ReplaceLineEndings("\n"));

    const string Conditional = "${{ github.event_name == 'pull_request' && 'registry:3' || '' }}";

    [SkippableFact]
    public async Task A_registry_service_answers_on_the_port_the_job_context_names_and_is_gone_after_the_job()
    {
        ServiceRequirement.Require(Service.Registry);
        var result = await Runner("pull_request").RunAsync(Read(Conditional));

        result.Succeeded.Should().BeTrue(string.Join("\n", result["build"].Legs.Single().Steps.Select(s => s.Output)));
        var output = result["build"].Legs.Single().Steps.Single(s => s.Name == "Use it").Output;
        output.Should().Contain("answers");
        var host = System.Text.RegularExpressions.Regex.Match(output, @"registry=(127\.0\.0\.1:\d+)").Groups[1].Value;
        host.Should().NotBe("127.0.0.1:5000", "a free port, not the machine's own registry");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await FluentActions.Awaiting(() => http.GetAsync(new Uri($"http://{host}/v2/"))).Should()
            .ThrowAsync<HttpRequestException>("the service stops with its job");
    }

    [Fact]
    [Trait("Category", "Unit")]
    public async Task An_empty_image_starts_no_service_and_an_image_that_cannot_be_had_here_fails_the_leg_saying_so()
    {
        var push = await Runner("push").RunAsync(Read(Conditional));
        push.Succeeded.Should().BeTrue();
        push["build"].Legs.Single().Steps.Single(s => s.Name == "Use it").Output.Should().Contain("no service");

        var postgres = await Runner("push").RunAsync(Read("postgres:17"));
        postgres.Succeeded.Should().BeFalse();
        var steps = postgres["build"].Legs.Single().Steps;
        steps[0].Should().Match<LocalStepResult>(s => s.Name == "Initialize containers" && s.Status == LocalStatus.Failed
            && s.Reason!.Contains("Service registry (postgres:17): not modelled here"));
        steps.Single(s => s.Name == "Use it").Status.Should().Be(LocalStatus.Skipped);
    }
}
