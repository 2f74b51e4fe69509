using MultiArch.Build.Tests.Support;

namespace MultiArch.Build.Tests;

/// <summary>JSON <c>null</c> in <c>.nuke/parameters.json</c> means unset; a key given twice is named, not a .NET crash.</summary>
[Trait("Category", "Unit")]
public sealed class ParametersJsonTests : EngineTest
{
    sealed class FileBuild : TargetBuild
    {
        [Parameter("Version")] readonly string Version = "dev";
        [Parameter("Registry")] readonly string? Registry;
        [Parameter("Platforms")] readonly string[] Platform = ["linux/amd64"];
        [Parameter("Count")] readonly int Count = 2;

        Target Show => _ => _.Executes(() => Journal.Record(
            $"Version={Version} Registry={Registry ?? "(unset)"} Platform={string.Join(",", Platform)} Count={Count}"));
    }

    [Fact]
    public void A_profile_layers_its_file_over_parameters_json_and_help_lists_the_profiles()
    {
        WriteParametersJson("""{ "Version": "1.0.0", "Registry": "base.example", "Count": 3 }""");
        File.WriteAllText(Root / ".nuke" / "parameters.staging.json", """{ "Registry": "staging.example" }""");
        File.WriteAllText(Root / ".nuke" / "parameters.fast.json", """{ "Count": 9 }""");

        Run<FileBuild>("Show").Ran.Should().Equal("Version=1.0.0 Registry=base.example Platform=linux/amd64 Count=3");
        Run<FileBuild>("Show", "--profile", "staging").Ran.Should()
            .Equal("Version=1.0.0 Registry=staging.example Platform=linux/amd64 Count=3");
        Run<FileBuild>("Show", "--profile", "staging", "fast").Ran.Should()
            .Equal("Version=1.0.0 Registry=staging.example Platform=linux/amd64 Count=9");
        Environment["MULTIARCH_REGISTRY"] = "env.example";
        Run<FileBuild>("Show", "--profile", "staging").Ran.Should()
            .Equal(["Version=1.0.0 Registry=env.example Platform=linux/amd64 Count=3"], "the environment still beats every file");

        var missing = Run<FileBuild>("Show", "--profile", "prod");
        missing.ExitCode.Should().Be(1);
        missing.Output.Should().Contain(
            "error: --profile prod: there is no .nuke/parameters.prod.json. The profiles here are: fast, staging.");
        Run<FileBuild>("--help").Output.Should().Contain(
            "Profiles (--profile <name> layers .nuke/parameters.<name>.json over parameters.json): fast, staging");
    }

    [Fact]
    public void Null_in_parameters_json_means_unset_so_the_default_applies()
    {
        WriteParametersJson("""{ "Version": null, "Registry": null, "Platform": null, "Count": null }""");

        var result = Run<FileBuild>("Show");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Ran.Should().Equal("Version=dev Registry=(unset) Platform=linux/amd64 Count=2");
    }

    [Fact]
    public void Null_in_parameters_json_lets_the_environment_and_command_line_win_as_usual()
    {
        WriteParametersJson("""{ "Version": null }""");
        Environment["MULTIARCH_VERSION"] = "1.2.3";

        Run<FileBuild>("Show").Ran.Single().Should().StartWith("Version=1.2.3 ");
    }

    [Fact]
    public void A_key_given_twice_in_different_case_names_the_file_and_both_keys()
    {
        WriteParametersJson("""{ "Version": "1.0.0", "version": "2.0.0" }""");

        var result = Run<FileBuild>("Show");

        result.ExitCode.Should().Be(1);
        var error = result.Output.Split('\n').Single(l => l.StartsWith("error: ", StringComparison.Ordinal));
        error.Should().Contain(Root / ".nuke" / "parameters.json").And.Contain("'Version'").And.Contain("'version'")
            .And.NotContain("An item with the same key");
    }
}
