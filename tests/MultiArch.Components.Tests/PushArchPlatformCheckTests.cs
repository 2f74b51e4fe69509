using MultiArch.Build;
using MultiArch.Oci;
using MultiArch.Testing;

namespace MultiArch.Components.Tests;

// PushArch's read-back, on what a registry really holds after a push: the per-arch tag must be the platform the leg
// asked for. A Dockerfile whose final stage says FROM --platform=linux/amd64 gives an arm64 leg an amd64 image; the
// leg fails there instead of handing a mislabelled digest to the merge.
[Trait("Category", "Registry")]
public sealed class PushArchPlatformCheckTests
{
    [SkippableFact]
    public async Task A_pushed_image_of_another_platform_fails_the_leg_saying_the_build_ignored_platform()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var registry = await RegistryProcess.StartAsync();
        using var client = registry.CreateClient();
        // What `docker push` left under 1.0.0-arm64 when the build ignored --platform linux/arm64: an amd64 image.
        var ignored = await TestImages.PushImageAsync(client, VerifyPushBuild.RepositoryPath, Platform.LinuxArm64,
            configPlatform: Platform.LinuxAmd64, tag: "1.0.0-arm64", seed: 7);
        var honoured = await TestImages.PushImageAsync(
            client, VerifyPushBuild.RepositoryPath, Platform.LinuxAmd64, tag: "1.0.0-amd64", seed: 7);

        var wrong = Run(registry, "linux/arm64", ignored.Digest);
        var right = Run(registry, "linux/amd64", honoured.Digest);

        wrong.ExitCode.Should().Be(1, wrong.ToString());
        wrong.ErrorLines.Should().Contain(
            line => line.Contains(
                $"{registry.Host}/{VerifyPushBuild.RepositoryPath}:1.0.0-arm64@{ignored.Digest} is linux/amd64, not linux/arm64: "
                + "the build ignored --platform."),
            wrong.ToString());
        right.ExitCode.Should().Be(0, "an image of the asked platform passes the same check:\n" + right);
    }

    static PipelineRun Run(RegistryProcess registry, string platform, Digest digest)
    {
        var root = Directory.CreateTempSubdirectory("multiarch-pusharch-check-");
        try
        {
            var output = new StringWriter();
            var exit = TargetBuild.Execute<VerifyPushBuild>(
                [
                    "VerifyPush", "--registry", registry.Host, "--version", "1.0.0", "--platform", platform,
                    "--pushed-digest", digest.ToString(),
                ],
                new BuildRunOptions
                {
                    Output = output, Environment = new Dictionary<string, string>(), RootDirectory = new AbsolutePath(root.FullName),
                });
            return new PipelineRun(exit, output.ToString());
        }
        finally { root.Delete(recursive: true); }
    }

    /// <summary>A pipeline build whose one target is PushArch's check after the push, for the digest the push reported.</summary>
    sealed class VerifyPushBuild : TargetBuild, IMultiArchImage
    {
        public const string RepositoryPath = "multiarch/hello";

        [Parameter("The digest the push reported")] readonly string PushedDigest = "";

        public ImageDefinition Image => new(RepositoryPath) { Dockerfile = RootDirectory / "Dockerfile" };

        Target VerifyPush => _ => _
            .PartitionedBy(IMultiArchPipeline.ImageAxis, IMultiArchPipeline.PlatformAxis)
            .Executes(async partition =>
            {
                var push = (IPushArch)this;
                var (image, platform) = push.Resolve(partition);
                await push.VerifyPlatformAsync(push.ArchReference(image, platform), Digest.Parse(PushedDigest), platform);
            });
    }
}
