using MultiArch.Build.Tests.Support;

namespace MultiArch.Build.Tests;

[Trait("Category", "Unit")]
public sealed class PartitionTests : EngineTest
{
    sealed class PlatformBuild : TargetBuild
    {
        [Parameter("Platforms")] readonly string[] Platform = ["linux/amd64", "linux/arm64"];
        [Parameter("Platform whose push fails")] readonly string? FailOn;

        Target Prepare => _ => _.Executes(() => Journal.Record("Prepare"));
        Target BuildApp => _ => _.DependsOn(Prepare).PartitionedBy("platform")
            .Executes(p => Journal.Record($"BuildApp {p["platform"]}"));
        Target Push => _ => _.DependsOn(BuildApp).PartitionedBy("platform").Executes(p =>
        {
            if (p["platform"] == FailOn) throw new InvalidOperationException($"push of {p} refused");
            Journal.Record($"Push {p["platform"]}");
        });
        Target Merge => _ => _.DependsOn(Push).Executes(() => Journal.Record("Merge"));
    }

    // Two axes, and a fan-in per image: the shape of the pipeline's PushArch (image x platform) and MergeManifest (image).
    sealed class ImageBuild : TargetBuild
    {
        [Parameter("Images")] readonly string[] Image = ["api", "worker"];
        [Parameter("Platforms")] readonly string[] Platform = ["linux/amd64", "linux/arm64"];
        [Parameter("Image whose build fails")] readonly string? FailOn;

        Target Push => _ => _.PartitionedBy("image", "platform").Executes(p =>
        {
            if (p["image"] == FailOn) throw new InvalidOperationException($"build of {p} refused");
            Journal.Record($"Push {p}");
        });
        Target Merge => _ => _.DependsOn(Push).PartitionedBy("image").Executes(p => Journal.Record($"Merge {p}"));
        Target Announce => _ => _.DependsOn(Merge).Executes(() => Journal.Record("Announce"));
    }

    [Fact]
    public void A_failed_partition_stops_only_the_later_partitions_that_agree_with_it()
    {
        var result = Run<ImageBuild>("Announce", "--fail-on", "worker");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Status("Merge", "api").Should().Be("Succeeded", "api's own pushes all succeeded");
        result.Status("Merge", "worker").Should().Be("NotRun");
        result.Status("Announce").Should().Be("NotRun", "an unpartitioned target after a failure still stops");
        result.Ran.Should().Contain("Merge api").And.NotContain("Merge worker");
    }

    [Fact]
    public void A_partitioned_target_runs_once_per_value()
    {
        var result = Run<PlatformBuild>("BuildApp", "--parallelism", "1");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Ran.Should().Equal("Prepare", "BuildApp linux/amd64", "BuildApp linux/arm64");
        result.Status("BuildApp", "linux/amd64").Should().Be("Succeeded");
        result.Status("BuildApp", "linux/arm64").Should().Be("Succeeded");
    }

    [Fact]
    public void Consecutive_partitioned_targets_run_as_lanes()
    {
        var result = Run<PlatformBuild>("Merge");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Ran.Should().HaveCount(6);
        result.Ran[0].Should().Be("Prepare");
        result.Ran[^1].Should().Be("Merge");
        foreach (var platform in new[] { "linux/amd64", "linux/arm64" })
            result.Ran.ToList().IndexOf($"BuildApp {platform}").Should().BeLessThan(result.Ran.ToList().IndexOf($"Push {platform}"));
    }

    [Fact]
    public void A_failure_in_one_lane_does_not_stop_the_other_lane_but_stops_the_fan_in()
    {
        var result = Run<PlatformBuild>("Merge", "--fail-on", "linux/amd64");

        result.ExitCode.Should().Be(1);
        result.Ran.Should().Contain("Push linux/arm64").And.NotContain("Push linux/amd64").And.NotContain("Merge");
        result.Status("Push", "linux/amd64").Should().Be("Failed");
        result.Status("Push", "linux/arm64").Should().Be("Succeeded");
        result.Status("Merge").Should().Be("NotRun");
        result.Output.Should().Contain("Build failed: Push [linux/amd64].");
    }

    [Fact]
    public void The_platform_option_restricts_the_run_to_one_lane()
    {
        var result = Run<PlatformBuild>("Merge", "--platform", "linux/arm64");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Ran.Should().Equal("Prepare", "BuildApp linux/arm64", "Push linux/arm64", "Merge");
    }

    [Fact]
    public void Plan_shows_the_partitions_of_each_target()
    {
        var result = Run<PlatformBuild>("Merge", "--plan");

        result.Output.Should().Contain("2. BuildApp  x2 [linux/amd64, linux/arm64]");
    }

    sealed class ConcurrentBuild : TargetBuild
    {
        [Parameter("Platforms")] readonly string[] Platform = ["linux/amd64", "linux/arm64"];
        readonly CountdownEvent _started = new(2);

        // Each lane waits until both lanes have started: this only completes when the lanes really run at once.
        Target Compile => _ => _.PartitionedBy("platform").Executes(p =>
        {
            Log.Info("compiling");
            _started.Signal();
            if (!_started.Wait(TimeSpan.FromSeconds(30))) throw new TimeoutException($"{p} ran alone: lanes are not parallel");
            Journal.Record($"Compile {p}");
        });
    }

    [Fact]
    public void Lanes_run_at_the_same_time_and_prefix_their_lines_even_when_their_actions_are_synchronous()
    {
        var result = Run<ConcurrentBuild>("Compile");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Ran.Should().BeEquivalentTo("Compile linux/amd64", "Compile linux/arm64");
        result.Output.Should().Contain("[linux/amd64] compiling").And.Contain("[linux/arm64] compiling");
    }

    sealed class CustomSourceBuild : TargetBuild, IPartitionSource
    {
        public IReadOnlyList<string>? AxisValues(string axis) => axis == "service" ? ["web", "api"] : ["linux/amd64", "linux/arm64"];
        public bool Keeps(Partition cell)
            => cell["service"] == "web" ? cell["platform"] == "linux/amd64" : cell["platform"] == "linux/arm64";

        Target Deploy => _ => _
            .PartitionedBy("service", "platform")
            .Executes(p => Journal.Record($"Deploy {p["service"]} on {p["platform"]}"));
    }

    [Fact]
    public void A_custom_partition_source_decides_the_partitions()
    {
        var result = Run<CustomSourceBuild>("Deploy", "--parallelism", "1");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Ran.Should().Equal("Deploy web on linux/amd64", "Deploy api on linux/arm64");
        result.Status("Deploy", "web linux/amd64").Should().Be("Succeeded");
    }

    sealed class NoValuesBuild : TargetBuild
    {
        [Parameter("Platforms")] readonly string[] Platform = [];
        Target Compile => _ => _.PartitionedBy("platform").Executes(p => Journal.Record($"Compile {p}"));
    }

    [Fact]
    public void An_axis_without_values_names_the_option_to_pass()
    {
        var result = Run<NoValuesBuild>("Compile");

        result.ExitCode.Should().Be(1);
        result.Output.Should().Contain("Axis 'platform' has no values. Pass --platform <values>");
    }

    sealed class SpacedValuesBuild : TargetBuild
    {
        [Parameter("Distributions")] readonly string[] Distro = ["Debian 12", "Alpine"];
        Target Test => _ => _.PartitionedBy("distro").Executes(p => Journal.Record($"Test [{p["distro"]}]"));
    }

    [Fact]
    public void A_value_with_a_space_stays_one_value()
    {
        var result = Run<SpacedValuesBuild>("Test", "--parallelism", "1");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Ran.Should().Equal("Test [Debian 12]", "Test [Alpine]");
    }

    sealed class EmptySource : TargetBuild, IPartitionSource
    {
        public IReadOnlyList<string>? AxisValues(string axis) => ["a"];
        public bool Keeps(Partition cell) => false;
        Target Deploy => _ => _.PartitionedBy("service", "platform").Executes(p => Journal.Record($"Deploy {p}"));
    }

    // Knows the service axis only: the platform axis comes from the array parameter named like it.
    sealed class OneAxisSource : TargetBuild, IPartitionSource
    {
        [Parameter("Platforms")] readonly string[] Platform = ["linux/amd64", "linux/arm64"];
        public IReadOnlyList<string>? AxisValues(string axis) => axis == "service" ? ["web"] : null;
        Target Deploy => _ => _.PartitionedBy("service", "platform").Executes(p => Journal.Record($"Deploy {p}"));
    }

    sealed class DuplicateSource : TargetBuild, IPartitionSource
    {
        public IReadOnlyList<string>? AxisValues(string axis) => axis == "service" ? ["web", "web"] : ["linux/amd64", "linux/amd64"];
        Target Deploy => _ => _.PartitionedBy("service", "platform").Executes(p => Journal.Record($"Deploy {p}"));
    }

    [Fact]
    public void An_axis_the_source_does_not_know_comes_from_its_array_parameter()
    {
        var result = Run<OneAxisSource>("Deploy", "--parallelism", "1");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Ran.Should().Equal("Deploy web linux/amd64", "Deploy web linux/arm64");
    }

    [Fact]
    public void Duplicate_cells_run_once()
    {
        var result = Run<DuplicateSource>("Deploy");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Ran.Should().Equal("Deploy web linux/amd64");
    }

    [Fact]
    public void An_empty_set_of_cells_is_an_error_not_a_silent_no_op()
    {
        var result = Run<EmptySource>("Deploy");

        result.ExitCode.Should().Be(1);
        result.Ran.Should().BeEmpty();
        result.Output.Should().Contain("No partitions for (service, platform)");
    }

    sealed class AssuredCleanupBuild : TargetBuild
    {
        [Parameter("Platforms")] readonly string[] Platform = [];
        Target Check => _ => _.Executes(() => throw new BuildException("--platform: give at least one"));
        Target Cleanup => _ => _.DependsOn(Check).PartitionedBy("platform").AssuredAfterFailure()
            .Executes(p => Journal.Record($"Cleanup {p}"));
    }

    [Fact]
    public void An_assured_partitioned_target_whose_cells_cannot_be_computed_after_a_failure_is_not_run()
    {
        var result = Run<AssuredCleanupBuild>("Cleanup");

        result.ExitCode.Should().Be(1);
        result.Ran.Should().BeEmpty();
        result.Status("Cleanup").Should().Be("NotRun");
        result.Output.Should().Contain("--platform: give at least one").And.NotContain("per-partition action",
            "the failure that stopped the plan is the one reported, not a second one about missing cells");
    }
}
