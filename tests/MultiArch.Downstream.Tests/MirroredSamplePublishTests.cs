using System.Text;
using System.Text.Json;
using MultiArch.Oci;
using MultiArch.Testing;

namespace MultiArch.Downstream.Tests;

// samples/mirrored's release workflow run locally (issue 19's acceptance) against two loopback registries, the mirror
// with htpasswd auth: one index digest in both, under the tags its rules give a push to main, with only real platforms,
// and a SLSA v1 provenance referrer on each per-arch manifest.
[Trait("Category", "Docker")]
[Collection(DownstreamCollection.Name)]
public sealed class MirroredSamplePublishTests(DownstreamSample sample)
{
    const string BaseImage = "127.0.0.1:5000/multiarch/busybox:1.35";
    const string Repository = "acme/app";

    [SkippableFact]
    public async Task Mirrored_release_run_locally_publishes_one_index_digest_to_both_registries_with_provenance_referrers()
    {
        ServiceRequirement.Require(Service.Docker | Service.Qemu | Service.Registry | Service.Skopeo | Service.Htpasswd);
        var root = await sample.CopyOfSampleAsync("mirrored");
        var sha = await CommitAsync(root); // github.sha of the local run: the copy's own commit
        await using var first = await RegistryProcess.StartAsync();
        await using var mirror = await RegistryProcess.StartAsync(RegistryMode.Htpasswd);
        var credentials = mirror.Credentials!;
        // What docker/login-action leaves on a runner: the mirror's login in DOCKER_CONFIG's config.json. The local
        // runner does not emulate the login step (its registry, docker.io, is not this one); the merge job's mirror
        // client reads this file. The password is in the environment and that file only, never on a command line.
        var dockerConfig = Directory.CreateDirectory(Path.Combine(sample.Directory.FullName, "mirrored-docker-config")).FullName;
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}"));
        await File.WriteAllTextAsync(Path.Combine(dockerConfig, "config.json"),
            $$"""{ "auths": { "{{mirror.Host}}": { "auth": "{{auth}}" } } }""");

        var run = await sample.RunIn(root, ["RunWorkflowLocally", "--local-workflow", "release", "--local-event", "push",
            "--local-env", $"MULTIARCH_REGISTRIES={first.Host}/acme {mirror.Host}/acme",
            "--local-env", $"MULTIARCH_BASE_IMAGE={BaseImage}"],
            new Dictionary<string, string> { ["DOCKER_CONFIG"] = dockerConfig });

        run.ExitCode.Should().Be(0, run.Output);
        run.Output.Should().NotContain(credentials.Password).And.Contain($"mirror {mirror.Host}/{Repository}@sha256:");
        // A push to main: Edge("main") gives edge, Ref(Branch) main, Sha() sha-<7>; the semver and pull-request rules nothing.
        string[] tags = ["edge", "main", "sha-" + sha[..7]];
        using var firstClient = first.CreateClient();
        using var mirrorClient = mirror.CreateClient();
        foreach (var (registry, client) in new[] { (first, firstClient), (mirror, mirrorClient) })
        {
            var published = await client.ListTagsAsync(Repository);
            published.Should().Contain(tags);
            published.Where(t => !t.StartsWith("sha256-") && !t.StartsWith("dev-")).Should().BeEquivalentTo(tags,
                "besides per-arch tags and referrer fallback tags, the index has exactly the rules' tags in {0}", registry.Host);
        }

        var index = await Skopeo.InspectRawAsync($"{first.Host}/{Repository}:{tags[0]}");
        var digest = (await firstClient.HeadManifestAsync(Repository, tags[0]))!.Digest;
        foreach (var tag in tags)
        {
            (await Skopeo.InspectRawAsync($"{first.Host}/{Repository}:{tag}")).Should().Be(index, "every tag names one index");
            (await Skopeo.InspectRawAsync($"{mirror.Host}/{Repository}:{tag}", credentials))
                .Should().Be(index, "the mirror has the same bytes");
            (await mirrorClient.HeadManifestAsync(Repository, tag))!.Digest.Should().Be(digest, "the same digest in both registries");
        }

        using var parsed = JsonDocument.Parse(index);
        var manifests = parsed.RootElement.GetProperty("manifests").EnumerateArray().ToList();
        manifests.Select(m => $"{m.GetProperty("platform").GetProperty("os")}/{m.GetProperty("platform").GetProperty("architecture")}")
            .Should().BeEquivalentTo(["linux/amd64", "linux/arm64"], "provenance is a referrer, not an unknown/unknown entry");
        foreach (var manifest in manifests.Select(m => Digest.Parse(m.GetProperty("digest").GetString()!)))
        {
            await AssertProvenanceAsync(firstClient, manifest, sha);
            await AssertProvenanceAsync(mirrorClient, manifest, sha);
        }
    }

    // GET /v2/<name>/referrers/<digest> (or the sha256-<hex> fallback tag): one in-toto statement whose subject is the manifest.
    static async Task AssertProvenanceAsync(RegistryClient client, Digest manifest, string sha)
    {
        var referrer = (await client.ListReferrersAsync(Repository, manifest)).Should().ContainSingle().Subject;
        referrer.ArtifactType.Should().Be("application/vnd.in-toto+json");
        var artifact = (await client.GetManifestAsync(Repository, referrer.Digest.ToString())).AsImage();
        artifact.Subject!.Digest.Should().Be(manifest);
        using var statement = JsonDocument.Parse(await client.GetBlobAsync(Repository, artifact.Layers[0].Digest));
        var root = statement.RootElement;
        root.GetProperty("_type").GetString().Should().Be("https://in-toto.io/Statement/v1");
        root.GetProperty("predicateType").GetString().Should().Be("https://slsa.dev/provenance/v1");
        root.GetProperty("subject")[0].GetProperty("digest").GetProperty("sha256").GetString().Should().Be(manifest.Hex);
        var source = root.GetProperty("predicate").GetProperty("buildDefinition").GetProperty("resolvedDependencies")[0];
        source.GetProperty("digest").GetProperty("gitCommit").GetString().Should().Be(sha, "the statement names the commit built");
    }

    // A repository of its own, so the run's github.sha (and the sha- tag) is a real commit; returns its SHA.
    static async Task<string> CommitAsync(string root)
    {
        var none = new Dictionary<string, string>();
        foreach (var arguments in new[]
                 {
                     new[] { "init", "-q", "-b", "main" }, ["add", "-A"],
                     ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "mirrored sample"],
                 })
            (await DownstreamSample.RunProcessAsync("git", arguments, root, none)).ExitCode.Should().Be(0);
        return (await DownstreamSample.RunProcessAsync("git", ["rev-parse", "HEAD"], root, none)).Output.Trim();
    }
}
