using MultiArch.Oci;

namespace MultiArch.Docker.Tests;

// buildx is not installed on this machine kind (Debian 12 ships no docker-buildx), so these check the command line
// the buildx driver runs and how it reads buildx's answers; the classic driver is exercised for real in ImageBuildTests.
[Trait("Category", "Unit")]
public sealed class BuildxImageBuilderTests
{
    private static readonly ImageBuildRequest App = new()
    {
        ContextDirectory = "/src/app",
        Dockerfile = "Dockerfile",
        Platform = Platform.LinuxArmV7,
        Tags = [ImageReference.Parse("ghcr.io/acme/server:1.4.0-arm-v7")],
        BuildArgs = new Dictionary<string, string> { ["SERVER_BASE_TAG"] = "server-base:1.4.0-arm-v7-run42" },
        Labels = new Dictionary<string, string> { ["org.opencontainers.image.revision"] = "abc123" },
        LocalBaseImage = "server-base:1.4.0-arm-v7-run42",
        CacheFrom = [BuildCache.GitHubActions("server", Platform.LinuxArmV7)],
        CacheTo = [BuildCache.GitHubActions("server", Platform.LinuxArmV7)],
        Push = true,
    };

    private static readonly BuildxBuilder Container = new("builder-3f2a", "docker-container");

    [Fact]
    public void Pushing_build_turns_attestations_off_and_pushes_the_canonical_name_with_a_metadata_file()
    {
        var plan = BuildxImageBuilder.Plan(App with { LocalBaseImage = null }, Container, containerdImageStore: false);
        var args = BuildxImageBuilder.Arguments(App with { LocalBaseImage = null }, "/tmp/meta.json", networkHost: false, plan);

        args.Should().StartWith(["buildx", "build"]);
        args.Should().ContainInConsecutiveOrder("--platform", "linux/arm/v7")
            .And.Contain(["--provenance=false", "--sbom=false"])
            .And.ContainInConsecutiveOrder("--metadata-file", "/tmp/meta.json")
            .And.ContainInConsecutiveOrder("--file", "/src/app/Dockerfile")
            .And.ContainInConsecutiveOrder("--tag", "ghcr.io/acme/server:1.4.0-arm-v7")
            .And.ContainInConsecutiveOrder("--build-arg", "SERVER_BASE_TAG=server-base:1.4.0-arm-v7-run42")
            .And.ContainInConsecutiveOrder("--label", "org.opencontainers.image.revision=abc123")
            .And.NotContain(["--load", "--output", "--builder", "--network"]);
        // Built and pushed in one step: BuildKit sends the image to the registry, the digest comes back in the metadata file.
        args.Should().ContainSingle(a => a == "--push");
        args[^1].Should().Be("/src/app");
    }

    [Fact]
    public void A_push_is_one_step_with_the_metadata_file_and_a_build_only_loads_into_the_engine()
    {
        var request = App with { LocalBaseImage = null, CacheFrom = [], CacheTo = [] };
        var plan = BuildxImageBuilder.Plan(request, Container, containerdImageStore: false);

        BuildxImageBuilder.Arguments(request, "/tmp/meta.json", networkHost: false, plan).Should().Equal(
            "buildx", "build", "--progress", "plain", "--platform", "linux/arm/v7", "--provenance=false", "--sbom=false",
            "--metadata-file", "/tmp/meta.json", "--file", "/src/app/Dockerfile",
            "--tag", "ghcr.io/acme/server:1.4.0-arm-v7",
            "--build-arg", "SERVER_BASE_TAG=server-base:1.4.0-arm-v7-run42",
            "--label", "org.opencontainers.image.revision=abc123",
            "--push", "/src/app");
        BuildxImageBuilder.Arguments(request with { Push = false }, "/tmp/meta.json", networkHost: false, plan)
            .Should().Contain("--load").And.NotContain("--push");
    }

    [Fact]
    public void The_classic_builder_still_builds_then_pushes_apart()
    {
        var request = App with { LocalBaseImage = null, CacheFrom = [], CacheTo = [] };

        ClassicImageBuilder.Arguments(request, "/tmp/iid",
            networkHost: false).Should().NotContain(["--push", "--load", "--output", "--metadata-file"])
            .And.ContainInConsecutiveOrder("--iidfile", "/tmp/iid");
    }

    [Fact]
    public void GitHub_Actions_cache_is_scoped_per_image_and_platform_and_exported_in_max_mode_ignoring_errors()
    {
        var plan = BuildxImageBuilder.Plan(App with { LocalBaseImage = null }, Container, containerdImageStore: false);
        var args = BuildxImageBuilder.Arguments(App with { LocalBaseImage = null }, "/tmp/meta.json", networkHost: false, plan);

        args.Should().ContainInConsecutiveOrder("--cache-from", "type=gha,scope=server-arm-v7")
            .And.ContainInConsecutiveOrder("--cache-to", "type=gha,scope=server-arm-v7,mode=max,ignore-error=true");
    }

    [Fact]
    public void Registry_cache_is_read_and_written_at_the_buildcache_tag_of_the_platform()
    {
        var cache = BuildCache.Registry(ImageReference.Parse("127.0.0.1:5000/acme/server"), Platform.LinuxArm64);
        var request = App with { LocalBaseImage = null, CacheFrom = [cache], CacheTo = [cache] };
        var args = BuildxImageBuilder.Arguments(request, "/tmp/meta.json", networkHost: false,
            BuildxImageBuilder.Plan(request, Container, containerdImageStore: false));

        args.Should().ContainInConsecutiveOrder("--cache-from", "type=registry,ref=127.0.0.1:5000/acme/server:buildcache-arm64")
            .And.ContainInConsecutiveOrder("--cache-to",
                "type=registry,ref=127.0.0.1:5000/acme/server:buildcache-arm64,mode=max,ignore-error=true");
    }

    [Fact]
    public void Local_base_on_a_docker_container_builder_builds_on_the_engines_default_builder_and_says_why()
    {
        var plan = BuildxImageBuilder.Plan(App, Container, containerdImageStore: false);
        var args = BuildxImageBuilder.Arguments(App, "/tmp/meta.json", networkHost: true, plan);

        args.Should().ContainInConsecutiveOrder("--builder", "default").And.ContainInConsecutiveOrder("--network", "host");
        plan.Notes.Should().Contain(note => note.Contains("'builder-3f2a' (docker-container) " +
            "cannot see the local base image server-base:1.4.0-arm-v7-run42"));
        // The docker driver without the containerd store cannot export caches: skipped with a line, not a failed build.
        args.Should().NotContain("--cache-to");
        plan.Notes.Should().Contain(note => note.StartsWith("Skipping --cache-to"));
    }

    [Fact]
    public void Local_base_on_the_docker_driver_keeps_the_active_builder_and_loads_locally()
    {
        var request = App with { Push = false, CacheTo = [] };
        var plan = BuildxImageBuilder.Plan(request, new BuildxBuilder("default", "docker"), containerdImageStore: true);
        var args = BuildxImageBuilder.Arguments(request, "/tmp/meta.json", networkHost: false, plan);

        plan.Builder.Should().BeNull();
        plan.Notes.Should().BeEmpty();
        args.Should().Contain("--load").And.NotContain("--output");
    }

    [Fact]
    public void Pushed_digest_and_image_id_come_from_the_metadata_file()
    {
        const string metadata = """
            {
              "buildx.build.ref": "builder-3f2a/builder-3f2a0/x1",
              "containerimage.config.digest": "sha256:63e80c2fd7bc48212719a1783a1518e6bf600a50b931382fa026bfe5a5dd7c61",
              "containerimage.descriptor": { "mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 942 },
              "containerimage.digest": "sha256:06e01ae22a7974e050eda804e13ebd3a9cb2b726626c895f0ea1c3249817297b",
              "image.name": "ghcr.io/acme/server:1.4.0-arm-v7"
            }
            """;

        var (imageId, digest) = BuildxImageBuilder.ReadMetadata(metadata);

        imageId.Should().Be("sha256:63e80c2fd7bc48212719a1783a1518e6bf600a50b931382fa026bfe5a5dd7c61");
        digest.Should().Be(Digest.Parse("sha256:06e01ae22a7974e050eda804e13ebd3a9cb2b726626c895f0ea1c3249817297b"));
    }

    [Fact]
    public void Active_builder_and_driver_are_read_from_buildx_inspect()
    {
        const string inspect = """
            Name:          builder-3f2a
            Driver:        docker-container
            Last Activity: 2026-11-28 08:00:00 +0000 UTC

            Nodes:
            Name:      builder-3f2a0
            Endpoint:  unix:///var/run/docker.sock
            Status:    running
            Platforms: linux/amd64, linux/arm64, linux/arm/v7
            """;

        var builder = BuildxBuilder.Parse(inspect);

        builder.Should().Be(new BuildxBuilder("builder-3f2a", "docker-container"));
        builder.SeesLocalImages.Should().BeFalse();
        BuildxBuilder.Parse("Name:   default\nDriver: docker\n").SeesLocalImages.Should().BeTrue();
    }
}
