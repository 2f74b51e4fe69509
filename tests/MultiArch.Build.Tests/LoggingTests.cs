using MultiArch.Build.Tests.Support;

namespace MultiArch.Build.Tests;

/// <summary>Issue 16: a log API for users' own targets, verbosity, the full log file, annotations, Console capture.</summary>
[Trait("Category", "Unit")]
public sealed class LoggingTests : EngineTest
{
    sealed class TalkingBuild : TargetBuild
    {
        [Parameter("A token"), Secret] readonly string? Token;
        [Parameter("Platforms")] readonly string[] Platform = ["linux/amd64", "linux/arm64"];

        Target Talk => _ => _.Executes(() =>
        {
            using (Log.Group("Checking"))
                Log.Info("an ordinary line");
            Log.Warn("the cache is cold");
        });
        Target Print => _ => _.PartitionedBy("platform").Executes(p => Console.WriteLine($"printed on {p["platform"]} with {Token}"));
    }

    [Fact]
    public void Quiet_shows_warnings_and_the_summary_while_the_log_file_keeps_every_line()
    {
        var result = Run<TalkingBuild>("Talk", "--verbosity", "quiet");

        result.ExitCode.Should().Be(0, result.Output);
        result.Output.Should().NotContain("an ordinary line").And.Contain("warning: the cache is cold").And.Contain("Build succeeded.");
        var file = File.ReadAllText(Root / ".nuke" / "temp" / "build.log");
        file.Should().Contain("┌ Checking")
            .And.Contain("an ordinary line")
            .And.Contain("└ Checking")
            .And.Contain("warning: the cache is cold");
    }

    [Fact]
    public void Under_github_actions_a_warning_becomes_an_annotation_naming_the_target()
    {
        Environment["GITHUB_ACTIONS"] = "true";

        var result = Run<TalkingBuild>("Talk");

        result.Output.Should().Contain("::warning title=Talk::the cache is cold");
    }

    [Fact]
    public void Console_output_of_a_target_goes_through_the_log_masked_and_prefixed_by_its_lane()
    {
        var console = Console.Out;
        var captured = new StringWriter();
        Console.SetOut(TextWriter.Synchronized(captured));
        int exit;
        try
        {
            // No Output of its own: the engine runs as in a real process, where Console is the terminal.
            exit = TargetBuild.Execute<TalkingBuild>(["Print", "--token", "hunter2-secret", "--parallelism", "2"],
                new BuildRunOptions { Environment = Environment, RootDirectory = Root });
        }
        finally { Console.SetOut(console); }

        exit.Should().Be(0, captured.ToString());
        captured.ToString().Should().Contain("[linux/amd64] printed on linux/amd64 with ***")
            .And.Contain("[linux/arm64] printed on linux/arm64 with ***").And.NotContain("hunter2-secret");
    }
}
