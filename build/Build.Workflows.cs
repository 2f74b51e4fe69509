using MultiArch.Components;
using MultiArch.Workflows;

// The repository's GitHub Actions workflows, generated from the same targets (./build.sh GenerateWorkflows).
partial class Build : IGitHubWorkflows
{
    public IEnumerable<WorkflowDefinition> Workflows =>
    [
        // Release: a version tag (or a manual run) publishes every image to GHCR and cleans up after itself.
        Pipeline("release", "Release")
            .OnPush(tags: ["v*"])
            .Input("Version", "Version to publish (default: from the git tag)"),
        // Packages: a version tag packs in Release and pushes to nuget.org; NUGET_API_KEY reaches only that job.
        new WorkflowDefinition("packages", "Packages")
            .OnPush(tags: ["v*"]).OnDispatch()
            .Invokes("PushPackages"),
        // The tests and the packs on every push and pull request (the .ci/run checks, on GitHub's runners).
        new WorkflowDefinition("test", "Test")
            .OnPush(branches: ["main"]).OnPullRequest("main")
            .Invokes("Test", "Pack"),
        // Development: main and a nightly build publish; pull requests build every leg and publish nothing.
        Pipeline("dev", "Development")
            .OnPush(branches: ["main"])
            .OnPullRequest("main")
            .OnSchedule("0 3 * * *"),
    ];

    // No .Secret(...): each job gets the [Secret] parameters of the targets it runs, so GITHUB_TOKEN reaches only the
    // cleanup job (CleanupUntagged reads GithubToken); the legs and the merge log in through docker/login-action.
    static WorkflowDefinition Pipeline(string file, string name) =>
        new WorkflowDefinition(file, name)
            .OnDispatch()
            .Invokes<IMergeManifest>(x => x.MergeManifest)
            .Invokes<ICleanupUntagged>(x => x.CleanupUntagged)
            .WithEnv("MULTIARCH_REGISTRY", "ghcr.io")
            .Login(RegistryLogin.GitHubContainerRegistry)
            .Contribute(DockerWorkflowSteps.Instance);
}
