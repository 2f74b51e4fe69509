using System.Text.RegularExpressions;
using MultiArch.Testing;

namespace MultiArch.Components.Tests;

/// <summary>
/// Issue 18, layer cache: <c>--cache</c> is parsed once, and a run whose builder has no buildx (this machine: the
/// classic docker build) says once that layer caching is off and why, instead of skipping the cache silently per stage.
/// </summary>
public sealed class LayerCacheTests
{
    [SkippableFact]
    [Trait("Category", "Docker")]
    public async Task Without_buildx_a_run_says_once_that_layer_caching_is_off_and_builds_as_before()
    {
        ServiceRequirement.Require(Service.Docker | Service.Registry);
        Skip.If(await DockerHasBuildxAsync(), "this client has buildx, so the cache is used");
        await using var sandbox = await PipelineSandbox.StartAsync();

        // Two stages (base and app) for one platform: two builds, one line.
        var run = await sandbox.RunAsync(["BuildApp", "--image-platforms", "linux/amd64", "--cache", "registry"]);

        run.ExitCode.Should().Be(0, run.ToString());
        Regex.Matches(run.Output, "Layer caching is off").Should().ContainSingle(run.ToString());
        run.Output.Should().Contain("Layer caching is off (--cache registry): no buildx on the docker client")
            .And.NotContain("Skipping --cache", "the components pass no cache to a builder that cannot use one");
    }

    [SkippableFact]
    [Trait("Category", "Unit")]
    public async Task A_bad_cache_value_stops_the_run_with_one_line_naming_the_option_and_the_values()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var sandbox = await PipelineSandbox.StartAsync();

        var run = await sandbox.RunAsync(["BuildApp", "--cache", "s3"]);

        run.ExitCode.Should().Be(1, run.ToString());
        run.ErrorLines.Should().ContainSingle().Which.Should()
            .Contain(
                "--cache (from command line): 's3' is not a layer cache; "
                + "use none, gha (the GitHub Actions cache, in workflows) or registry");
        run.Output.Should().NotContain("Building ");
    }

    static async Task<bool> DockerHasBuildxAsync() =>
        (await MultiArch.Docker.DockerCli.LocateAsync()).HasBuildx;
}
