using System.Text.Json;
using MultiArch.Build;
using MultiArch.Oci;
using MultiArch.Testing;

namespace MultiArch.Components.Tests;

// --attest provenance after a push: the lane's plan (build arguments, base images resolved in a real registry) becomes a
// SLSA statement attached to the per-arch image as a referrer, read back through the registry's referrers listing.
[Trait("Category", "Registry")]
public sealed class AttestProvenanceTests
{
    const string Sha = "0123456789abcdef0123456789abcdef01234567";

    [SkippableFact]
    public async Task Attest_provenance_attaches_a_statement_naming_the_commit_workflow_base_image_and_redacted_args()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var registry = await RegistryProcess.StartAsync();
        using var client = registry.CreateClient();
        var baseImage = await TestImages.PushImageAsync(client, "library/base", Platform.LinuxAmd64, tag: "1", seed: 3);
        var app = await TestImages.PushImageAsync(client, AttestBuild.RepositoryPath, Platform.LinuxAmd64, tag: "1.0.0-amd64", seed: 4);

        var run = Run(registry, ["--attest", "provenance", "--pushed-digest", app.Digest.ToString()]);

        run.ExitCode.Should().Be(0, run.ToString());
        var referrer = (await client.ListReferrersAsync(AttestBuild.RepositoryPath, app.Digest)).Should().ContainSingle().Subject;
        referrer.ArtifactType.Should().Be("application/vnd.in-toto+json");
        run.Output.Should().Contain($"Attached provenance {referrer.Digest}");
        var manifest = (await client.GetManifestAsync(AttestBuild.RepositoryPath, referrer.Digest.ToString())).AsImage();
        manifest.Subject!.Digest.Should().Be(app.Digest);
        using var statement = JsonDocument.Parse(await client.GetBlobAsync(AttestBuild.RepositoryPath, manifest.Layers[0].Digest));
        var root = statement.RootElement;
        root.GetProperty("_type").GetString().Should().Be("https://in-toto.io/Statement/v1");
        root.GetProperty("subject")[0].GetProperty("digest").GetProperty("sha256").GetString().Should().Be(app.Digest.Hex);
        var definition = root.GetProperty("predicate").GetProperty("buildDefinition");
        var parameters = definition.GetProperty("externalParameters");
        parameters.GetProperty("workflow").GetString().Should().Be(".github/workflows/release.yml");
        parameters.GetProperty("dockerfile").GetString().Should().Be("Dockerfile");
        parameters.GetProperty("buildArgs").GetProperty("NPM_TOKEN").GetString().Should().Be("***");
        parameters.GetProperty("buildArgs").GetProperty("APP_ENV").GetString().Should().Be("production");
        var dependencies = definition.GetProperty("resolvedDependencies").EnumerateArray().ToList();
        dependencies[0].GetProperty("uri").GetString().Should().Be("git+https://github.com/acme/hello@refs/tags/v1.0.0");
        dependencies[0].GetProperty("digest").GetProperty("gitCommit").GetString().Should().Be(Sha);
        dependencies[1].GetProperty("name").GetString().Should().Be($"{registry.Host}/library/base:1");
        dependencies[1].GetProperty("digest").GetProperty("sha256").GetString().Should().Be(baseImage.Digest.Hex);
        var details = root.GetProperty("predicate").GetProperty("runDetails");
        details.GetProperty("builder").GetProperty("id").GetString().Should()
            .Be("https://github.com/acme/hello/.github/workflows/release.yml@refs/tags/v1.0.0");
        details.GetProperty("metadata").GetProperty("invocationId").GetString().Should()
            .Be("https://github.com/acme/hello/actions/runs/77/attempts/2");
        statement.RootElement.ToString().Should().NotContain("npm_s3cret");
    }

    [SkippableFact]
    public async Task Attest_sbom_fails_in_one_line_with_the_fix()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var registry = await RegistryProcess.StartAsync();

        var run = Run(registry, ["--attest", "sbom", "--pushed-digest", Digest.Compute("x"u8).ToString()]);

        run.ExitCode.Should().Be(1, run.ToString());
        run.ErrorLines.Should().Contain(
            line => line.Contains("--attest sbom: an SBOM needs docker buildx") && line.Contains("use --attest provenance"),
            run.ToString());
    }

    static PipelineRun Run(RegistryProcess registry, string[] extra)
    {
        var root = Directory.CreateTempSubdirectory("multiarch-attest-");
        try
        {
            File.WriteAllText(
                Path.Combine(root.FullName, "Dockerfile"), $"FROM {registry.Host}/library/base:1\nARG APP_ENV\nARG NPM_TOKEN\n");
            var output = new StringWriter();
            var exit = TargetBuild.Execute<AttestBuild>(
                ["Attest", "--registry", registry.Host, "--version", "1.0.0", "--platform", "linux/amd64", "--rebuild", .. extra],
                new BuildRunOptions
                {
                    Output = output,
                    RootDirectory = new AbsolutePath(root.FullName),
                    Environment = new Dictionary<string, string>
                    {
                        ["GITHUB_SHA"] = Sha,
                        ["GITHUB_REPOSITORY"] = "acme/hello",
                        ["GITHUB_REF"] = "refs/tags/v1.0.0",
                        ["GITHUB_WORKFLOW_REF"] = "acme/hello/.github/workflows/release.yml@refs/tags/v1.0.0",
                        ["GITHUB_RUN_ID"] = "77",
                        ["GITHUB_RUN_ATTEMPT"] = "2",
                    },
                });
            return new PipelineRun(exit, output.ToString());
        }
        finally { root.Delete(recursive: true); }
    }

    /// <summary>A pipeline build whose one target is what PushArch does after its push and read-back, for a given digest.</summary>
    sealed class AttestBuild : TargetBuild, IMultiArchImage
    {
        public const string RepositoryPath = "multiarch/hello";

        [Parameter("The digest the push reported")] readonly string PushedDigest = "";

        public ImageDefinition Image => new(RepositoryPath)
        {
            Dockerfile = RootDirectory / "Dockerfile",
            BuildArgs = new Dictionary<string, string> { ["APP_ENV"] = "production", ["NPM_TOKEN"] = "npm_s3cret" },
        };

        Target Attest => _ => _
            .PartitionedBy(IMultiArchPipeline.ImageAxis, IMultiArchPipeline.PlatformAxis)
            .Executes(async partition =>
            {
                var push = (IPushArch)this;
                var (image, platform) = push.Resolve(partition);
                if (!push.AttestsProvenance) return;
                var plan = await push.PlanLaneAsync(image, platform);
                var target = push.ArchReference(image, platform);
                var manifest = await push.VerifyPlatformAsync(target, Digest.Parse(PushedDigest), platform);
                await push.AttachProvenanceAsync(image, platform, target, target, manifest, plan);
            });
    }
}
