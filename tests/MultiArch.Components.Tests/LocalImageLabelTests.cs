using System.Text.Json;
using MultiArch.Docker;
using MultiArch.Testing;

namespace MultiArch.Components.Tests;

// What the local engine holds after a run: both stages say where they came from (the git remote), the app stage
// never passes its base's description off as its own, and the merge names the image of every digest it lists.
[Trait("Category", "Docker")]
public sealed class LocalImageLabelTests
{
    const Service Needs = Service.Docker | Service.Registry;
    const string Source = "org.opencontainers.image.source", Description = "org.opencontainers.image.description";

    [SkippableFact]
    public async Task Local_images_carry_the_source_and_not_the_base_description_and_the_merge_names_each_digests_image()
    {
        ServiceRequirement.Require(Needs);
        await using var sandbox = await PipelineSandbox.StartAsync();
        var app = sandbox.Folder("described-base");
        File.WriteAllText(
            app / "Dockerfile.base",
            "ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nLABEL org.opencontainers.image.description=\"the base's own description\"\n");
        File.WriteAllText(app / "Dockerfile", "ARG HELLO_BASE_TAG\nFROM ${HELLO_BASE_TAG}\nRUN echo app > /etc/app\n");

        var run = await sandbox.RunAsync(
            ["MergeManifest", "--image-platforms", "linux/amd64", "--app-directory", app, "--no-description", "--keep-base-tags", "1"]);

        run.ExitCode.Should().Be(0, run.ToString());
        var repository = $"{sandbox.Registry.Host}/{PipelineSandbox.RepositoryPath}";
        run.Output.Should().MatchRegex(
            $@"\n  hello linux/amd64 +{System.Text.RegularExpressions.Regex.Escape(repository)}@sha256:[0-9a-f]{{64}}\n");
        var cli = await DockerCli.LocateAsync();
        var appLabels = await LabelsAsync(cli, $"{repository}:{sandbox.Version}-amd64");
        appLabels.Should().Contain(Source, PipelineSandbox.SourceUrl).And.Contain(Description, "");
        var baseTag = (await cli.ExecuteAsync(
            "docker image ls", ["image", "ls", repository + "-base", "--format", "{{.Tag}}"], null)).Trim();
        var baseLabels = await LabelsAsync(cli, $"{repository}-base:{baseTag}");
        baseLabels.Should().Contain(Source, PipelineSandbox.SourceUrl).And.Contain(Description, "the base's own description");
    }

    static async Task<Dictionary<string, string?>> LabelsAsync(DockerCli cli, string image) =>
        JsonDocument.Parse(await cli.ExecuteAsync(
                $"docker image inspect {image}", ["image", "inspect", "--format", "{{json .Config.Labels}}", image], null))
            .RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
}
