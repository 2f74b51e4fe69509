using MultiArch.Build.Tests.Support;

namespace MultiArch.Build.Tests;

[Trait("Category", "Unit")]
public sealed class ParameterTests : EngineTest
{
    enum Flavor { Plain, Spicy }

    sealed class ParameterBuild : TargetBuild
    {
        [Parameter("Where images go")] readonly string Registry = "default.example";
        [Parameter("Platforms to build")] readonly string[] Platforms = [];
        [Parameter("Flavor")] readonly Flavor Flavor = Flavor.Plain;
        [Parameter("How many")] readonly int Count = 1;
        [Parameter("Push the result")] readonly bool Push;
        [Parameter("Image tag")] readonly string? ImageTag;

        Target Show => _ => _.Executes(() => Journal.Record(
            $"Registry={Registry} Platforms={string.Join(",", Platforms)} Flavor={Flavor} Count={Count} Push={Push} ImageTag={ImageTag}"));
        Target Prepare => _ => _.Executes(() => Journal.Record("Prepare"));
        Target Publish => _ => _.Requires(() => ImageTag).Executes(() => Journal.Record("Publish"));
        Target Release => _ => _.DependsOn(Prepare, Publish);
    }

    [Fact]
    public void A_token_naming_a_target_ends_a_list_option_and_an_inline_value_may_look_like_one()
    {
        // Issue 12: `--image worker --platform linux/amd64 ExportDigest` once read ExportDigest as a platform.
        var result = Run<ParameterBuild>("--platforms", "linux/amd64", "linux/arm64", "show");

        result.ExitCode.Should().Be(0, result.Output);
        result.Ran.Should().Equal("Registry=default.example Platforms=linux/amd64,linux/arm64 Flavor=Plain Count=1 Push=False ImageTag=");

        var inline = Run<ParameterBuild>("Show", "--platforms=Prepare", "linux/arm64");
        inline.Ran.Should().Equal("Registry=default.example Platforms=Prepare,linux/arm64 Flavor=Plain Count=1 Push=False ImageTag=");
    }

    [Fact]
    public void A_bad_value_from_the_environment_never_breaks_help_and_fails_a_run_naming_its_source()
    {
        // Issue 16: PARALLELISM=auto or VERBOSE=2 in the environment once made every command fail, --help included.
        Environment["MULTIARCH_COUNT"] = "many";

        var help = Run<ParameterBuild>("--help");
        help.ExitCode.Should().Be(0, help.Output);
        help.Output.Should().MatchRegex(
            @"--count <int>\s+How many \[env MULTIARCH_COUNT; invalid value from env MULTIARCH_COUNT; default 1\]");

        var run = Run<ParameterBuild>("Show");
        run.ExitCode.Should().Be(1);
        run.Output.Should().Contain("error: --count (from env MULTIARCH_COUNT): 'many' is not a whole number.");
        run.Ran.Should().BeEmpty();
    }

    [Fact]
    public void Skip_still_takes_target_names_as_its_values()
    {
        var result = Run<ParameterBuild>("Release", "--image-tag", "x", "--skip", "Prepare");

        result.ExitCode.Should().Be(0, result.Output);
        result.Ran.Should().Equal("Publish");
    }

    [Fact]
    public void Defaults_apply_when_nothing_is_given()
    {
        var result = Run<ParameterBuild>("Show");

        result.Ran.Should().Equal("Registry=default.example Platforms= Flavor=Plain Count=1 Push=False ImageTag=");
    }

    [Fact]
    public void Command_line_beats_environment_beats_parameters_json_beats_default()
    {
        WriteParametersJson("""{ "Registry": "file.example", "Count": 3, "ImageTag": "from-file", "Flavor": "Spicy" }""");
        Environment["MULTIARCH_REGISTRY"] = "env.example";
        Environment["MULTIARCH_COUNT"] = "2";

        var result = Run<ParameterBuild>("Show", "--registry", "cli.example");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Ran.Should().Equal("Registry=cli.example Platforms= Flavor=Spicy Count=2 Push=False ImageTag=from-file");
    }

    [Fact]
    public void Only_the_exact_environment_name_is_read_and_each_value_taken_is_shown_once()
    {
        // Issue 16: any variable matching after ignoring case and underscores was read, chosen by hash order.
        Environment["imagetag"] = "loose";
        Environment["Image_Tag"] = "looser";
        Run<ParameterBuild>("Show").Ran.Single().Should().EndWith("ImageTag=");

        Environment["MULTIARCH_IMAGE_TAG"] = "v1";
        var result = Run<ParameterBuild>("Show");

        result.Ran.Single().Should().EndWith("ImageTag=v1");
        result.Output.Split('\n').Count(l => l.Contains("(from env MULTIARCH_IMAGE_TAG)", StringComparison.Ordinal)).Should().Be(1);
        result.Output.Should().Contain("ImageTag = v1 (from env MULTIARCH_IMAGE_TAG)");
    }

    [Fact]
    public void An_array_takes_several_command_line_values()
    {
        var result = Run<ParameterBuild>("Show", "--platforms", "linux/amd64", "linux/arm64");

        result.Ran.Single().Should().Contain("Platforms=linux/amd64,linux/arm64");
    }

    [Fact]
    public void An_array_from_the_environment_is_comma_separated()
    {
        Environment["MULTIARCH_PLATFORMS"] = "linux/amd64, linux/arm64";

        var result = Run<ParameterBuild>("Show");

        result.Ran.Single().Should().Contain("Platforms=linux/amd64,linux/arm64");
    }

    [Fact]
    public void An_array_from_parameters_json_is_a_JSON_array()
    {
        WriteParametersJson("""{ "Platforms": ["linux/amd64", "linux/arm64"] }""");

        var result = Run<ParameterBuild>("Show");

        result.Ran.Single().Should().Contain("Platforms=linux/amd64,linux/arm64");
    }

    [Fact]
    public void A_scalar_from_the_environment_keeps_its_spaces_and_commas()
    {
        Environment["MULTIARCH_REGISTRY"] = "a, b c";

        var result = Run<ParameterBuild>("Show");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Ran.Single().Should().StartWith("Registry=a, b c ");
    }

    [Fact]
    public void Enum_values_ignore_case()
    {
        var result = Run<ParameterBuild>("Show", "--flavor", "spicy");

        result.Ran.Single().Should().Contain("Flavor=Spicy");
    }

    [Fact]
    public void A_bad_enum_value_lists_the_allowed_values()
    {
        var result = Run<ParameterBuild>("Show", "--flavor", "Mild");

        result.ExitCode.Should().Be(1);
        result.Output.Should().Contain("--flavor (from command line): 'Mild' is not one of Plain, Spicy.");
        result.Ran.Should().BeEmpty();
    }

    [Fact]
    public void A_bad_number_names_the_option_and_its_source()
    {
        Environment["MULTIARCH_COUNT"] = "many";

        var result = Run<ParameterBuild>("Show");

        result.ExitCode.Should().Be(1);
        result.Output.Should().Contain("--count (from env MULTIARCH_COUNT): 'many' is not a whole number.");
    }

    [Fact]
    public void A_bool_switch_alone_means_true_and_takes_an_explicit_false()
    {
        var on = Run<ParameterBuild>("Show", "--push");
        var off = Run<ParameterBuild>("Show", "--push", "false");

        on.Ran.Single().Should().Contain("Push=True");
        off.Ran.Single().Should().Contain("Push=False");
    }

    [Fact]
    public void A_word_after_a_bool_switch_is_a_target()
    {
        var result = Run<ParameterBuild>("--push", "Show");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Ran.Single().Should().Contain("Push=True");
    }

    [Fact]
    public void Equals_form_and_target_option_work_like_the_spaced_forms()
    {
        var result = Run<ParameterBuild>("--count=5", "--target", "Show");

        result.Ran.Single().Should().Contain("Count=5");
    }

    [Fact]
    public void Unknown_option_suggests_the_closest_parameter()
    {
        var result = Run<ParameterBuild>("Show", "--registy", "x");

        result.ExitCode.Should().Be(1);
        result.Output.Should().Contain("Unknown option '--registy'. Did you mean '--registry'?");
        result.Ran.Should().BeEmpty();
    }

    [Fact]
    public void A_parameters_json_syntax_error_names_line_and_column()
    {
        WriteParametersJson("{\n  \"Registry\": \"x\",\n  \"Count\" 3\n}");

        var result = Run<ParameterBuild>("Show");

        result.ExitCode.Should().Be(1);
        result.Output.Should().Contain("parameters.json line 3, column 11:");
        result.Ran.Should().BeEmpty();
    }

    [Fact]
    public void An_unknown_key_in_parameters_json_suggests_the_closest_parameter()
    {
        WriteParametersJson("""{ "Registy": "x" }""");

        var result = Run<ParameterBuild>("Show");

        result.ExitCode.Should().Be(1);
        result.Output.Should().Contain(".nuke/parameters.json: unknown parameter 'Registy'. Did you mean 'Registry'?");
    }

    [Fact]
    public void A_missing_required_parameter_is_one_line_naming_the_three_ways_and_nothing_runs()
    {
        var result = Run<ParameterBuild>("Release");

        result.ExitCode.Should().Be(1);
        result.Ran.Should().BeEmpty();
        result.Output.Trim().Should().Be(
            "error: Target 'Publish' needs parameter 'ImageTag': pass --image-tag <value>, set MULTIARCH_IMAGE_TAG, "
            + "or add \"ImageTag\" to .nuke/parameters.json.");
    }

    [Fact]
    public void A_required_parameter_given_lets_the_target_run()
    {
        var result = Run<ParameterBuild>("Release", "--image-tag", "1.0");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Ran.Should().Equal("Prepare", "Publish");
    }

    [Fact]
    public void Engine_switches_cannot_be_set_from_the_environment()
    {
        Environment["MULTIARCH_HELP"] = "true";

        var result = Run<ParameterBuild>("Show");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Ran.Should().HaveCount(1);
    }

    [Fact]
    public void Root_option_points_the_build_at_another_folder()
    {
        WriteParametersJson("""{ "Registry": "rooted.example" }""");
        var output = new StringWriter();
        Journal.Start();

        var exitCode = TargetBuild.Execute<ParameterBuild>(
            ["Show", "--root", Root], new BuildRunOptions { Output = output, Environment = Environment });

        exitCode.Should().Be(0, output.ToString());
        Journal.Current.Entries.Single().Should().StartWith("Registry=rooted.example ");
    }

    sealed class RenamedBuild : TargetBuild
    {
        // The member name is taken (here by a target), so the parameter is offered under another public name.
        [Parameter("Image name", Name = "Image")] readonly string? ImageName;

        Target Image => _ => _.Requires(() => ImageName).Executes(() => Journal.Record($"Image={ImageName}"));
    }

    [Fact]
    public void A_parameter_with_a_public_name_is_set_and_required_under_that_name()
    {
        Environment["MULTIARCH_IMAGE"] = "ghcr.io/acme/app";

        var given = Run<RenamedBuild>("Image");
        Environment.Clear();
        var missing = Run<RenamedBuild>("Image");

        given.Ran.Should().Equal("Image=ghcr.io/acme/app");
        missing.Output.Should().Contain(
            "needs parameter 'Image': pass --image <value>, set MULTIARCH_IMAGE, or add \"Image\" to .nuke/parameters.json.");
    }
}
