using MultiArch.Build;
using MultiArch.Workflows;

namespace MultiArch.Components.Tests;

// Issue 19: each registry of --registries has its own login, and only the job that mirrors (merge) logs in to the mirrors.
[Trait("Category", "Unit")]
public sealed class MirrorLoginWorkflowTests
{
    public sealed class TwoRegistryBuild : TargetBuild, IMultiArchImage, IGitHubWorkflows
    {
        public ImageDefinition Image => new("acme/hello")
        {
            Dockerfile = RepositoryRoot.HelloExample / "Dockerfile",
            BaseDockerfile = RepositoryRoot.HelloExample / "Dockerfile.base",
            BaseTagArgument = "HELLO_BASE_TAG",
        };

        IReadOnlyList<string> IMultiArchPipeline.DefaultRegistries => ["ghcr.io/acme", "docker.io/acme"];

        public IEnumerable<WorkflowDefinition> Workflows =>
        [
            new WorkflowDefinition("release", "Release")
                .OnPush(tags: ["v*"])
                .Invokes<IMergeManifest>(x => x.MergeManifest)
                .WithEnv("MULTIARCH_REGISTRY", "ghcr.io")
                .Login(RegistryLogin.GitHubContainerRegistry with { Mirrors = [RegistryLogin.WithHostSecrets("docker.io")] })
                .Contribute(DockerWorkflowSteps.Instance),
        ];
    }

    [Fact]
    public void The_merge_job_logs_in_to_each_registry_with_its_own_secrets_and_the_legs_only_to_the_first()
    {
        var workflow = WorkflowGeneration.Read<TwoRegistryBuild>("release");

        var logins = workflow.Jobs["merge"].Steps.Where(s => s.Uses?.Is("docker/login-action") == true).ToList();
        logins.Select(s => s.With["registry"]).Should().Equal("ghcr.io", "docker.io");
        logins[0].With["password"].Should().Be("${{ secrets.GITHUB_TOKEN }}");
        logins[1].With["username"].Should().Be("${{ secrets.DOCKER_IO_USERNAME }}");
        logins[1].With["password"].Should().Be("${{ secrets.DOCKER_IO_TOKEN }}");
        workflow.Jobs["build"].Steps.Where(s => s.Uses?.Is("docker/login-action") == true).Select(s => s.With["registry"])
            .Should().Equal(["ghcr.io"], "per-arch images go to the first registry only");
    }

    [Theory]
    [InlineData("docker.io", "DOCKER_IO_TOKEN")]
    [InlineData("quay.io", "QUAY_IO_TOKEN")]
    [InlineData("127.0.0.1:5000", "REGISTRY_127_0_0_1_5000_TOKEN")]
    public void Host_secrets_are_named_after_the_host_as_a_valid_secret_name(string host, string secret) =>
        RegistryLogin.WithHostSecrets(host).PasswordSecret.Should().Be(secret);
}
