using System.Text;
using System.Text.Json.Nodes;
using MultiArch.Build;
using MultiArch.Oci;
using MultiArch.Testing;

namespace MultiArch.Components.Tests;

/// <summary>
/// Issue 18: a lane whose per-arch tag already holds an image of the same input digest is skipped, and every input
/// that changes what is built rebuilds it. Runs the two-stage example for linux/amd64 against a real loopback registry,
/// from a copy of the example (so a test can edit its files) and a base image in the sandbox's own registry (so a
/// test can move the base's tag).
/// </summary>
[Trait("Category", "Docker")]
public sealed class UnchangedLaneTests
{
    const string Skipped = "unchanged since ";

    sealed class World : IAsyncDisposable
    {
        public required PipelineSandbox Sandbox { get; init; }
        public required AbsolutePath App { get; init; }
        public string BaseImage => $"{Sandbox.Registry.Host}/bases/busybox:1";

        public Task<PipelineRun> RunAsync(params string[] extra) => Sandbox.RunAsync(
            ["MergeManifest", "--app-directory", App, "--image-platforms", "linux/amd64", "--base-image", BaseImage, .. extra]);

        public async Task<Digest> IndexAsync() =>
            Digest.Compute(Encoding.UTF8.GetBytes(await Skopeo.InspectRawAsync(Sandbox.Reference(Sandbox.Version))));

        public ValueTask DisposeAsync() => Sandbox.DisposeAsync();
    }

    static async Task<World> StartAsync()
    {
        ServiceRequirement.Require(Service.Docker | Service.Qemu | Service.Registry | Service.Skopeo);
        var sandbox = await PipelineSandbox.StartAsync();
        var app = sandbox.Folder("app");
        foreach (var file in Directory.GetFiles(RepositoryRoot.HelloExample)) File.Copy(file, app / Path.GetFileName(file));
        File.WriteAllText(app / "notes.txt", "not sent\n");
        File.WriteAllText(app / ".dockerignore", "notes.txt\n");
        var world = new World { Sandbox = sandbox, App = app };
        await PushBaseAsync(world, label: null);
        return world;
    }

    // The amd64 busybox from 127.0.0.1:5000 under the sandbox's bases/busybox:1; a label makes it a new image (a new
    // config, so a new digest) with the same layers, as an upstream security rebuild would be.
    static async Task<Digest> PushBaseAsync(World world, string? label)
    {
        using var source = new RegistryClient("127.0.0.1:5000");
        using var target = world.Sandbox.Registry.CreateClient();
        var index = (await source.GetManifestAsync("multiarch/busybox", "1.35")).AsIndex();
        var child = await source.GetManifestAsync(
            "multiarch/busybox", index.Manifests.First(m => m.Platform == Platform.LinuxAmd64).Digest.ToString());
        var manifest = child.AsImage();
        var config = JsonNode.Parse(await source.GetBlobAsync("multiarch/busybox", manifest.Config.Digest))!;
        if (label is not null) config["config"]!["Labels"] = new JsonObject { ["rebuilt"] = label };
        var configBytes = Encoding.UTF8.GetBytes(config.ToJsonString());
        foreach (var layer in manifest.Layers)
            await target.PushBlobAsync("bases/busybox", await source.GetBlobAsync("multiarch/busybox", layer.Digest), layer.MediaType);
        var configDescriptor = await target.PushBlobAsync("bases/busybox", configBytes, manifest.Config.MediaType);
        var document = ManifestDocument.FromBytes((manifest with { Config = configDescriptor }).ToJson(), manifest.MediaType);
        return await target.PutManifestAsync("bases/busybox", "1", document);
    }

    static string Row(PipelineRun run, string target) =>
        run.Output.Split('\n').FirstOrDefault(l => l.StartsWith(target + " ", StringComparison.Ordinal)
            && (target == "MergeManifest" || l.Contains("hello linux/amd64")))
        ?? $"(no {target} row)";

    static void ShouldHaveBuilt(PipelineRun run, string because)
    {
        run.ExitCode.Should().Be(0, run.ToString());
        Row(run, "BuildApp").Should().Contain("Succeeded", because + "\n" + run);
        Row(run, "PushArch").Should().Contain("Succeeded", because);
    }

    static void ShouldHaveSkipped(PipelineRun run, string tag)
    {
        run.ExitCode.Should().Be(0, run.ToString());
        foreach (var target in new[] { "BuildBase", "BuildApp", "PushArch" })
            Row(run, target).Should().Contain("Skipped").And.Contain(Skipped + tag, run.ToString());
        run.Output.Should().NotContain("docker build linux/amd64");
        Row(run, "ExportDigest").Should().Contain("Succeeded");
        Row(run, "MergeManifest").Should().Contain("Succeeded");
    }

    [SkippableFact]
    public async Task An_unchanged_rerun_skips_the_lane_and_publishes_the_same_index_and_a_changed_ignored_file_does_not_rebuild()
    {
        await using var world = await StartAsync();
        var first = await world.RunAsync();
        ShouldHaveBuilt(first, "nothing was published yet");
        first.Output.Should().Contain("is not in");
        var index = await world.IndexAsync();
        var perArch = await Skopeo.InspectRawAsync(world.Sandbox.Reference(world.Sandbox.Version + "-amd64"));

        var second = await world.RunAsync();
        ShouldHaveSkipped(second, world.Sandbox.Version + "-amd64");
        (await world.IndexAsync()).Should().Be(index, "the merge saw the same per-arch digest as a rebuild would give");
        (await Skopeo.InspectRawAsync(world.Sandbox.Reference(world.Sandbox.Version + "-amd64"))).Should().Be(perArch);
        PipelineSandbox.Records(world.Sandbox.DigestsDirectory).Should().ContainSingle()
            .Which.Digest.Should().Be(Digest.Compute(Encoding.UTF8.GetBytes(perArch)), "ExportDigest wrote the existing image's digest");

        File.WriteAllText(world.App / "notes.txt", "changed, but .dockerignore leaves it out\n");
        ShouldHaveSkipped(await world.RunAsync(), world.Sandbox.Version + "-amd64");
    }

    [SkippableFact]
    public async Task An_unchanged_rerun_needs_no_engine_and_one_that_builds_checks_it_again()
    {
        await using var world = await StartAsync();
        ShouldHaveBuilt(await world.RunAsync(), "first run");
        var index = await world.IndexAsync();
        // An engine that is not there, and nothing may be started: only a run that builds would notice.
        var noEngine = new Dictionary<string, string> { ["DOCKER_HOST"] = "unix:///tmp/multiarch-no-engine.sock" };

        var unchanged = await world.Sandbox.RunAsync(["MergeManifest", "--app-directory", world.App, "--image-platforms", "linux/amd64",
            "--base-image", world.BaseImage, "--no-provision"], noEngine);

        ShouldHaveSkipped(unchanged, world.Sandbox.Version + "-amd64");
        unchanged.Output.Should().MatchRegex(@"(?m)^dockerd\s+not needed: every lane is unchanged")
            .And.MatchRegex(@"(?m)^binfmt\s+not needed: every lane is unchanged")
            .And.Contain("Docker engine not needed: every lane is unchanged")
            .And.NotContain("multiarch-no-engine.sock");
        (await world.IndexAsync()).Should().Be(index);

        File.AppendAllText(world.App / "hello.sh", "echo changed\n");
        var changed = await world.Sandbox.RunAsync(["MergeManifest", "--app-directory", world.App, "--image-platforms", "linux/amd64",
            "--base-image", world.BaseImage, "--no-provision"], noEngine);

        changed.ExitCode.Should().Be(1, "the lane must build now, and the engine is missing\n" + changed);
        changed.Output.Should().Contain("Docker engine not reachable at unix:///tmp/multiarch-no-engine.sock");
        Row(changed, "BuildApp").Should().NotContain("Succeeded");
    }

    [SkippableFact]
    public async Task A_changed_file_in_the_context_rebuilds()
    {
        await using var world = await StartAsync();
        ShouldHaveBuilt(await world.RunAsync(), "first run");
        File.AppendAllText(world.App / "hello.sh", "echo changed\n");

        var run = await world.RunAsync();

        ShouldHaveBuilt(run, "hello.sh is in the context and changed");
        run.Output.Should().Contain("was built from other inputs");
        ShouldHaveSkipped(await world.RunAsync(), world.Sandbox.Version + "-amd64");
    }

    [SkippableFact]
    public async Task A_changed_build_argument_rebuilds()
    {
        await using var world = await StartAsync();
        ShouldHaveBuilt(await world.RunAsync("--app-build-args", "GREETING=hi"), "first run");
        ShouldHaveSkipped(await world.RunAsync("--app-build-args", "GREETING=hi"), world.Sandbox.Version + "-amd64");

        ShouldHaveBuilt(await world.RunAsync("--app-build-args", "GREETING=hello"), "GREETING changed");
    }

    [SkippableFact]
    public async Task A_new_digest_of_the_base_image_under_the_same_tag_rebuilds()
    {
        await using var world = await StartAsync();
        ShouldHaveBuilt(await world.RunAsync(), "first run");
        await PushBaseAsync(world, label: "security-fix");

        var run = await world.RunAsync();

        ShouldHaveBuilt(run, "bases/busybox:1 now points at another image");
        Row(run, "BuildBase").Should().Contain("Succeeded");
    }

    [SkippableFact]
    public async Task Rebuild_builds_an_unchanged_lane()
    {
        await using var world = await StartAsync();
        ShouldHaveBuilt(await world.RunAsync(), "first run");

        var run = await world.RunAsync("--rebuild");

        ShouldHaveBuilt(run, "--rebuild forces it");
        Row(run, "BuildBase").Should().Contain("Succeeded");
    }

    [SkippableFact]
    public async Task A_dry_run_reads_the_target_only_and_still_skips()
    {
        await using var world = await StartAsync();
        ShouldHaveBuilt(await world.RunAsync(), "first run");
        using var client = world.Sandbox.Registry.CreateClient();
        var tags = await client.ListTagsAsync(PipelineSandbox.RepositoryPath);
        var index = await world.IndexAsync();

        var run = await world.RunAsync("--dry-run");

        ShouldHaveSkipped(run, world.Sandbox.Version + "-amd64");
        run.Output.Should().Contain("copied to the throwaway registry");
        run.Output.Should().Contain($"@{index}", "the dry run computed the very index the registry holds");
        (await client.ListTagsAsync(PipelineSandbox.RepositoryPath)).Should().Equal(tags);
        (await world.IndexAsync()).Should().Be(index);
    }
}
