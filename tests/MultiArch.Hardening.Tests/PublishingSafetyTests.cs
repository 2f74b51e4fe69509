using System.Text;
using MultiArch.Oci;
using MultiArch.Testing;

namespace MultiArch.Hardening.Tests;

/// <summary>
/// Issue 12: the new user's two-image repository (<see cref="NewcomerBuild"/>) driven through the real command
/// line against a real loopback registry. Each case asserts the exact line or the right result, and compares the
/// whole registry (catalog, every tag and its digest) before and after, so nothing unexpected is pushed.
/// </summary>
[Trait("Category", "Docker"), Collection(ReliabilityCollection.Name)]
public sealed class PublishingSafetyTests
{
    const Service Needs = Service.Docker | Service.Qemu | Service.Registry;

    /// <summary>A registry holding 1.6.0 of both images, published the normal way.</summary>
    static async Task<RegistryProcess> PublishedAsync(CommandRun run)
    {
        ServiceRequirement.Require(Needs);
        var registry = await RegistryProcess.StartAsync();
        await run.RunAsync<NewcomerBuild>("MergeManifest", "--registry", registry.Host, "--version", "1.6.0");
        run.ExitCode.Should().Be(0, run.Output);
        return registry;
    }

    [SkippableFact]
    public async Task Case1_image_selects_by_declared_repository_and_never_publishes_one_image_as_another()
    {
        ServiceRequirement.Require(Needs);
        await using var registry = await RegistryProcess.StartAsync();
        using var run = new CommandRun();

        await run.RunAsync<NewcomerBuild>("MergeManifest", "--image", "newcomer/worker", "--registry", registry.Host, "--version", "1.6.0");

        run.ExitCode.Should().Be(0, run.Output);
        using var client = registry.CreateClient();
        (await client.ListRepositoriesAsync()).Should().Equal(["newcomer/worker"], "only the worker was selected");
        (await client.ListTagsAsync("newcomer/worker")).Order(StringComparer.Ordinal)
            .Should().Equal("1", "1.6", "1.6.0", "1.6.0-amd64", "1.6.0-arm64", "latest");
        var index = ImageIndex.Parse((await client.GetManifestAsync("newcomer/worker", "1.6.0")).Bytes.ToArray());
        index.Manifests.Select(m => m.Platform!.ToString()).Should().Equal("linux/amd64", "linux/arm64");
        index.Annotations!["org.opencontainers.image.title"].Should().Be("worker", "the content is the worker's, not the api's");

        var wrong = await Refused(run, registry, "MergeManifest", "--image", "newcomer/wrker");
        wrong.Should().Be("error: LocalServices: --image newcomer/wrker: no such image. Did you mean 'newcomer/worker'? The images are " +
            "api (newcomer/api), worker (newcomer/worker). To publish an image under another repository path, pass --repository " +
            "newcomer/wrker with the image's name in --image.");
        var ambiguous = await Refused(run, registry, "MergeManifest", "--repository", "staging/app");
        ambiguous.Should().Be("error: LocalServices: --repository staging/app publishes one image, but this run selects 2 (api, worker): " +
            "add --image <name> to pick one.");
        Ledger.BadInputs.Enqueue(new("70 image naming the other image's repository", "--image newcomer/worker", 0,
            "published worker's own content (2 platforms), nothing under api", true));
        Ledger.BadInputs.Enqueue(new("71 unknown image", "--image newcomer/wrker", 1, wrong, true));
        Ledger.BadInputs.Enqueue(new("72 --repository with two images", "--repository staging/app", 1, ambiguous, true));
    }

    [SkippableFact]
    public async Task Case2_a_narrowed_run_never_moves_release_tags_and_partial_is_tagged_apart()
    {
        using var run = new CommandRun();
        await using var registry = await PublishedAsync(run);
        var before = await SnapshotAsync(registry);

        await run.RunAsync<NewcomerBuild>("MergeManifest", "--platform", "linux/arm64", "--registry", registry.Host, "--version", "1.6.0");

        run.ExitCode.Should().Be(1, run.Output);
        run.Errors.Should().Equal("error: Preflight: 2 input problems, so nothing was built:");
        var lines = run.Output.Split('\n').Select(l => l.Trim()).ToList();
        lines.Should().Contain("api: --platform leaves out linux/amd64, linux/arm/v7, and a tag never points at an index without every " +
            "platform the image declares. Drop --platform to publish all 3, run ExportDigest instead of MergeManifest (what a CI leg " +
            "runs), or pass --partial to push this index tagged only 1.6.0-partial-arm64.");
        run.Output.Should().NotContain("BuildApp       api linux/arm64       Succeeded");
        (await SnapshotAsync(registry)).Should().Be(before, "a refused narrowed run pushes nothing at all");

        await run.RunAsync<NewcomerBuild>("MergeManifest", "--image", "api", "--platform", "linux/arm64", "--partial", "--registry",
            registry.Host, "--version", "1.6.0");

        run.ExitCode.Should().Be(0, run.Output);
        var after = (await SnapshotAsync(registry)).Split('\n');
        after.Except(before.Split('\n')).Should().ContainSingle().Which.Should()
            .StartWith("newcomer/api:1.6.0-partial-arm64 sha256:", "the partial index gets only its own tag");
        before.Split('\n').Except(after).Should().BeEmpty("no release tag moved");
        Ledger.BadInputs.Enqueue(new("73 --platform narrowing a merge", "--platform linux/arm64 MergeManifest", 1,
            lines.First(l => l.StartsWith("api: ", StringComparison.Ordinal)), true));
        Ledger.Notes.Enqueue("Publishing: `--platform linux/arm64` with MergeManifest stopped in Preflight (nothing built, registry " +
            "identical); `--partial` added only `1.6.0-partial-arm64`.");
    }

    [SkippableFact]
    public async Task Case3_dry_run_builds_and_checks_but_leaves_the_registry_byte_identical()
    {
        using var run = new CommandRun();
        await using var registry = await PublishedAsync(run);
        var before = await SnapshotAsync(registry);

        await run.RunAsync<NewcomerBuild>("MergeManifest", "--dry-run", "--registry", registry.Host, "--version", "1.7.0");

        run.ExitCode.Should().Be(0, run.Output);
        (await SnapshotAsync(registry)).Should().Be(before, "a dry run pushes nothing to the target");
        run.Output.Should().Contain($"Dry run: would push {registry.Host}/newcomer/api:1.7.0-arm-v7@sha256:")
            .And.Contain($"Dry run: would push this index to {registry.Host}/newcomer/api with tags 1.7.0, 1.7, 1, latest:")
            .And.Contain($"Dry run: would push this index to {registry.Host}/newcomer/worker with tags 1.7.0, 1.7, 1, latest:");
        Ledger.Notes.Enqueue("Publishing: `--dry-run` built 5 lanes, checked them in a throwaway registry and printed every push; the " +
            "target registry was byte-identical after.");
    }

    [SkippableFact]
    public async Task Case4_and_5_one_normalised_version_everywhere_and_floating_tags_only_move_forward()
    {
        using var run = new CommandRun();
        await using var registry = await PublishedAsync(run);
        var before = Tags(await SnapshotAsync(registry));

        await run.RunAsync<NewcomerBuild>("MergeManifest", "--image", "worker", "--registry", registry.Host, "--version", "v1.4.0");

        run.ExitCode.Should().Be(0, run.Output);
        var after = Tags(await SnapshotAsync(registry));
        after.Keys.Except(before.Keys).Order(StringComparer.Ordinal)
            .Should().Equal("newcomer/worker:1.4", "newcomer/worker:1.4.0", "newcomer/worker:1.4.0-amd64", "newcomer/worker:1.4.0-arm64");
        after["newcomer/worker:latest"].Should().Be(before["newcomer/worker:latest"], "latest stays at 1.6.0");
        after["newcomer/worker:1"].Should().Be(before["newcomer/worker:1"], "1 stays at 1.6.0");
        run.Output.Should().Contain($"{registry.Host}/newcomer/worker:latest stays: the registry holds 1.6.0, newer than 1.4.0 " +
            "(--force-floating-tags moves it anyway)");
        using var client = registry.CreateClient();
        var index = ImageIndex.Parse((await client.GetManifestAsync("newcomer/worker", "1.4.0")).Bytes.ToArray());
        index.Annotations!["org.opencontainers.image.version"].Should().Be("1.4.0");
        var manifest = (await client.GetManifestAsync("newcomer/worker", "1.4.0-amd64")).AsImage();
        Encoding.UTF8.GetString(await client.GetBlobAsync("newcomer/worker", manifest.Config.Digest)).Should()
            .Contain("\"org.opencontainers.image.version\":\"1.4.0\"");

        await run.RunAsync<NewcomerBuild>("MergeManifest", "--image", "worker", "--registry", registry.Host, "--version", "1.4.0",
            "--force-floating-tags");
        run.ExitCode.Should().Be(0, run.Output);
        var forced = Tags(await SnapshotAsync(registry));
        forced["newcomer/worker:latest"].Should().Be(forced["newcomer/worker:1.4.0"], "--force-floating-tags moves it");

        await run.RunAsync<NewcomerBuild>("MergeManifest", "--image", "worker", "--registry", registry.Host, "--version", "1.5.0-rc.1");
        run.ExitCode.Should().Be(0, run.Output);
        var prerelease = Tags(await SnapshotAsync(registry));
        prerelease.Keys.Except(forced.Keys).Should().BeEquivalentTo(["newcomer/worker:1.5.0-rc.1", "newcomer/worker:1.5.0-rc.1-amd64",
            "newcomer/worker:1.5.0-rc.1-arm64"], "a pre-release gets no latest, 1 or 1.5");
        prerelease.Where(t => forced.ContainsKey(t.Key)).Should().BeEquivalentTo(forced.Where(t => prerelease.ContainsKey(t.Key)));
        Ledger.Notes.Enqueue("Publishing: `--version v1.4.0` after 1.6.0 gave 1.4.0, 1.4 and 1.4.0-<arch> (labels 1.4.0); latest and 1 " +
            "stayed on 1.6.0 until --force-floating-tags; 1.5.0-rc.1 moved no floating tag.");
    }

    [SkippableFact]
    public async Task Case6_a_target_name_after_a_list_option_is_a_target()
    {
        ServiceRequirement.Require(Needs);
        await using var registry = await RegistryProcess.StartAsync();
        using var run = new CommandRun();

        await run.RunAsync<NewcomerBuild>("--image", "worker", "--platform", "linux/amd64", "ExportDigest", "--registry", registry.Host);

        run.ExitCode.Should().Be(0, run.Output);
        run.Output.Should().MatchRegex(@"ExportDigest\s+worker linux/amd64\s+Succeeded");
        using var client = registry.CreateClient();
        (await client.ListTagsAsync("newcomer/worker")).Should().Equal("dev-amd64");
    }

    [SkippableFact]
    public async Task Case7_bad_input_is_found_once_before_the_first_build()
    {
        ServiceRequirement.Require(Needs);
        await using var registry = await RegistryProcess.StartAsync();
        using var run = new CommandRun();
        var closed = $"127.0.0.1:{FreePort.Next()}";

        var unreachable = await Refused(run, registry, "MergeManifest", "--registry", closed);
        unreachable.Should().StartWith($"error: Preflight: ").And.Contain(closed);
        run.Output.Should().MatchRegex(@"BuildApp\s+api linux/amd64\s+NotRun", "the registry is checked before anything is built");

        var version = await Refused(run, registry, "MergeManifest", "--version", "1.2.3!");
        run.Output.Split('\n').Count(l => l.Contains("1.2.3!", StringComparison.Ordinal) && l.Contains("error: ", StringComparison.Ordinal))
            .Should().Be(1, "reported once, not per lane");
        version.Should().Be("error: --version (from command line): Version '1.2.3!' is neither semver (1.2.3) nor a valid tag: "
            + VersionTagMessage("1.2.3!"));

        var riscv = await Refused(run, registry, "MergeManifest", "--platform", "linux/riscv64");
        riscv.Should().Be("error: LocalServices: --platform linux/riscv64: no selected image declares it (api: linux/amd64, linux/arm64, " +
            "linux/arm/v7; worker: linux/amd64, linux/arm64). Pick one of those, or add it to the image's Platforms.");
        Ledger.BadInputs.Enqueue(new("74 unreachable registry", "--registry " + closed, 1, unreachable, true));
        Ledger.BadInputs.Enqueue(new("75 invalid version, many lanes", "--version 1.2.3!", 1, version, true));
        Ledger.BadInputs.Enqueue(new("76 valid platform no image declares", "--platform linux/riscv64", 1, riscv, true));
    }

    [SkippableFact]
    public async Task Case8_one_images_failed_merge_never_stops_anothers()
    {
        ServiceRequirement.Require(Needs);
        await using var registry = await RegistryProcess.StartAsync();
        using var run = new CommandRun();
        var digests = Path.Combine(run.Root, "legs");
        await run.RunAsync<NewcomerBuild>("ExportDigest", "--registry", registry.Host, "--version", "2.0.0", "--digests-directory",
            digests);
        run.ExitCode.Should().Be(0, run.Output);
        // The api's legs never arrived (a failed CI leg): its merge must fail, and the worker's, merged after it, must not care.
        Directory.Delete(Path.Combine(digests, "api"), recursive: true);

        await run.RunAsync<NewcomerBuild>("MergeManifest", "--skip", "--registry", registry.Host, "--version", "2.0.0",
            "--digests-directory", digests);

        run.ExitCode.Should().Be(1, run.Output);
        using var client = registry.CreateClient();
        (await client.ListTagsAsync("newcomer/worker")).Should()
            .Contain(["2.0.0", "2.0", "2", "latest"], "worker merged although api, before it, failed");
        (await client.ListTagsAsync("newcomer/api")).Should().NotContain("2.0.0");
        run.Output.Should().Contain($"{registry.Host}/newcomer/worker:2.0.0@sha256:").And.Contain("api: not published: ");
        // One lane per image (a merge leg per image in CI): the api's lane fails alone, with its own one-line error.
        run.Errors.Should().ContainSingle().Which.Should().StartWith("[api] error: MergeManifest [api]: Digests directory ");
        Ledger.Notes.Enqueue("Publishing: with the api's digest records missing, `MergeManifest --skip` failed api, still published " +
            "worker (2.0.0, 2.0, 2, latest), and exited 1.");
    }

    // What the tag validator says of a version that is not a valid tag (its own wording, reused here on purpose).
    static string VersionTagMessage(string version)
    {
        try { ImageReference.ValidateTag(version); return ""; }
        catch (OciInputException e) { return e.Message; }
    }

    /// <summary>Runs a command that must be refused: exit 1, one error line, and the registry unchanged.</summary>
    static async Task<string> Refused(CommandRun run, RegistryProcess registry, params string[] args)
    {
        var before = await SnapshotAsync(registry);
        var withRegistry = args.Contains("--registry") ? args : [.. args, "--registry", registry.Host];
        await run.RunAsync<NewcomerBuild>(withRegistry);
        run.ExitCode.Should().Be(1, run.Output);
        (await SnapshotAsync(registry)).Should().Be(before, $"`{string.Join(' ', args)}` is refused and pushes nothing");
        return run.Errors.Should().ContainSingle(run.Output).Subject;
    }

    /// <summary>Every repository, tag and digest the registry holds, one line each.</summary>
    static async Task<string> SnapshotAsync(RegistryProcess registry)
    {
        using var client = registry.CreateClient();
        var lines = new List<string>();
        foreach (var repository in (await client.ListRepositoriesAsync()).Order(StringComparer.Ordinal))
            foreach (var tag in (await client.ListTagsAsync(repository)).Order(StringComparer.Ordinal))
                lines.Add($"{repository}:{tag} {(await client.HeadManifestAsync(repository, tag))?.Digest}");
        return string.Join('\n', lines);
    }

    static Dictionary<string, string> Tags(string snapshot) =>
        snapshot.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToDictionary(p => p[0], p => p[1]);
}
