namespace MultiArch.Processes.Tests;

[Trait("Category", "Unit")]
public sealed class ProcessRunnerTests
{
    [Fact]
    public async Task Each_argument_reaches_the_program_as_one_and_no_shell_expands_it()
    {
        var result = await ProcessRunner.RunAsync(new ProcessCommand("printf", ["%s|", "a b", "$HOME", "*"]));

        result.Succeeded.Should().BeTrue();
        result.StandardOutput.Should().Be("a b|$HOME|*|");
    }

    [Fact]
    public async Task Standard_input_reaches_the_program()
    {
        var result = await ProcessRunner.RunAsync(new ProcessCommand("cat", []) { StandardInput = "from-stdin" });

        result.StandardOutput.Should().Be("from-stdin");
    }

    [Fact]
    public async Task Lines_handed_out_and_stderr_are_masked_while_stdout_stays_exact_for_parsing()
    {
        var lines = new List<(string Line, bool IsError)>();
        var result = await ProcessRunner.RunAsync(new ProcessCommand("sh", ["-c", "echo \"out $VALUE\"; echo \"err $VALUE\" >&2; exit 3"])
        {
            Environment = new Dictionary<string, string?> { ["VALUE"] = "hunter2-secret" },
            Masker = new SecretMasker(["hunter2-secret"]),
            Output = (line, isError) => { lock (lines) lines.Add((line, isError)); },
        });

        result.ExitCode.Should().Be(3);
        result.Succeeded.Should().BeFalse();
        result.StandardOutput.Should().Be("out hunter2-secret\n");
        result.StandardError.Should().Be("err ***\n");
        result.Tail(3).Should().Be("err ***");
        lines.Should().BeEquivalentTo([("out ***", false), ("err ***", true)]);
    }

    [Fact]
    public async Task A_withheld_variable_never_reaches_the_child()
    {
        const string name = "MULTIARCH_PROCESS_RUNNER_TEST_WITHHELD";
        Environment.SetEnvironmentVariable(name, "inherited");
        try
        {
            var command = new ProcessCommand("sh", ["-c", $"echo ${{{name}:-absent}}"]);

            (await ProcessRunner.RunAsync(command)).StandardOutput.Should().Be("inherited\n");
            (await ProcessRunner.RunAsync(command with { Withheld = [name] })).StandardOutput.Should().Be("absent\n");
        }
        finally { Environment.SetEnvironmentVariable(name, null); }
    }

    [Fact]
    public async Task A_program_still_running_when_its_timeout_runs_out_is_killed_and_reported()
    {
        var result = await ProcessRunner.RunAsync(new ProcessCommand("sleep", ["60"]) { Timeout = TimeSpan.FromMilliseconds(200) });

        result.TimedOut.Should().BeTrue();
        result.ExitCode.Should().Be(-1);
    }

    [Fact]
    public void A_missing_program_throws_the_not_installed_error_synchronous_callers_catch()
    {
        var run = () => ProcessRunner.Run(new ProcessCommand("multiarch-no-such-program", []));

        run.Should().Throw<System.ComponentModel.Win32Exception>();
    }

    [Fact]
    public async Task A_started_process_keeps_running_until_it_is_disposed()
    {
        var process = ProcessRunner.Start(new ProcessCommand("sleep", ["60"]));
        process.Id.Should().BePositive();
        await Task.Delay(100);
        process.HasExited.Should().BeFalse();

        await process.DisposeAsync();

        process.HasExited.Should().BeTrue();
        process.ExitCode.Should().BeNull("it was stopped, not left to exit");
    }
}
