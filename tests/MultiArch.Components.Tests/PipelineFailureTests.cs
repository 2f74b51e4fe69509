using MultiArch.Docker;
using MultiArch.Oci;
using MultiArch.Testing;

namespace MultiArch.Components.Tests;

// Each way a run can go wrong before anything is merged: one error line that names the input and the fix, a
// non-zero exit, no stack trace, and an empty registry (no index tag, and no per-arch tag either: each of these
// fails before its platform's push).
[Trait("Category", "Docker")]
public sealed class PipelineFailureTests
{
    const Service Needs = Service.Docker | Service.Registry;

    [SkippableFact]
    public async Task Missing_Dockerfile_fails_naming_the_file_and_merges_nothing()
    {
        ServiceRequirement.Require(Needs);
        await using var sandbox = await PipelineSandbox.StartAsync();
        var app = sandbox.Folder("app-without-dockerfile");

        var run = await sandbox.RunAsync(["MergeManifest", "--image-platforms", "linux/amd64", "--app-directory", app]);

        await ShouldFailWithoutPublishingAsync(sandbox, run, $"Dockerfile '{app / "Dockerfile"}' does not exist");
    }

    [SkippableFact]
    public async Task Platform_without_an_os_fails_saying_how_to_write_it_and_merges_nothing()
    {
        ServiceRequirement.Require(Needs);
        await using var sandbox = await PipelineSandbox.StartAsync();

        var run = await sandbox.RunAsync(["MergeManifest", "--platform", "arm64"]);

        await ShouldFailWithoutPublishingAsync(
            sandbox, run, "Platform 'arm64' is not valid: it has no operating system; write linux/arm64");
    }

    [SkippableFact]
    public async Task Unreachable_engine_named_in_the_build_environment_fails_saying_how_to_start_one()
    {
        ServiceRequirement.Require(Needs);
        await using var sandbox = await PipelineSandbox.StartAsync();

        // Only the build's environment names the missing engine: the test process itself still has a working one.
        var run = await sandbox.RunAsync(["MergeManifest", "--image-platforms", "linux/amd64"],
            new Dictionary<string, string> { ["DOCKER_HOST"] = "unix:///nonexistent.sock" });

        await ShouldFailWithoutPublishingAsync(
            sandbox, run, "Docker engine not reachable at unix:///nonexistent.sock (no socket there): start it with");
    }

    [SkippableFact]
    public async Task Engine_named_only_by_the_docker_config_current_context_is_the_one_probed()
    {
        ServiceRequirement.Require(Needs);
        await using var sandbox = await PipelineSandbox.StartAsync();
        // A context made by the docker CLI itself, pointing at an engine that is not there; the default engine works.
        var config = sandbox.Folder("docker-config");
        var dead = "unix://" + (sandbox.Folder("no-engine") / "docker.sock");
        foreach (var arguments in new[] { new[] { "context", "create", "gone", "--docker", $"host={dead}" }, ["context", "use", "gone"] })
        {
            var start = new System.Diagnostics.ProcessStartInfo("/usr/bin/docker", arguments)
            {
                RedirectStandardOutput = true, RedirectStandardError = true,
            };
            start.Environment["DOCKER_CONFIG"] = config;
            using var cli = System.Diagnostics.Process.Start(start)!;
            cli.WaitForExit();
            cli.ExitCode.Should().Be(0, cli.StandardError.ReadToEnd());
        }

        // Before, the probe read only DOCKER_HOST and passed the default engine, while docker commands would follow the context.
        var run = await sandbox.RunAsync(
            ["MergeManifest", "--platform", "linux/amd64"], new Dictionary<string, string> { ["DOCKER_CONFIG"] = config });

        await ShouldFailWithoutPublishingAsync(sandbox, run,
            $"Docker engine not reachable at {dead} "
            + $"(no socket there; from context 'gone' (currentContext in {config / "config.json"})): start it with");
    }

    [SkippableFact]
    public async Task Windows_platform_fails_saying_the_linux_engine_cannot_build_it_not_to_install_QEMU()
    {
        ServiceRequirement.Require(Needs);
        await using var sandbox = await PipelineSandbox.StartAsync();

        var run = await sandbox.RunAsync(["MergeManifest", "--image-platforms", "windows/amd64", "--no-provision"]);

        await ShouldFailWithoutPublishingAsync(
            sandbox,
            run,
            "Cannot build windows/amd64 on this linux/amd64 engine: it runs linux containers and cannot build windows images");
        run.Output.Should().NotContain("qemu-x86_64");
    }

    [SkippableFact]
    public async Task Foreign_platform_without_QEMU_registered_fails_naming_the_command_that_registers_it()
    {
        ServiceRequirement.Require(Needs);
        // A real gap on this machine rather than a faked binfmt folder: LocalServices registers only aarch64 and arm.
        var unregistered = new[] { "linux/riscv64", "linux/s390x", "linux/ppc64le", "linux/mips64le" }.Select(Platform.Parse)
            .FirstOrDefault(p => !File.Exists(
                Path.Combine(QemuEmulation.DefaultBinfmtDirectory, "qemu-" + QemuEmulation.QemuArchitecture(p))));
        // A fresh Debian machine registers every qemu-user-static emulator; then take one away for this test, as root.
        var disabled = unregistered is null && Environment.UserName == "root";
        if (disabled)
        {
            unregistered = Platform.Parse("linux/s390x");
            System.Diagnostics.Process.Start("update-binfmts", ["--disable", "qemu-s390x"])!.WaitForExit();
        }
        Skip.If(unregistered is null, "every candidate foreign platform has QEMU registered here; nothing is missing to test");
        try
        {
        await using var sandbox = await PipelineSandbox.StartAsync();

        // --no-provision: as root on Debian, LocalServices would otherwise register it (it did, before this flag was here).
        var run = await sandbox.RunAsync(["MergeManifest", "--image-platforms", unregistered!.ToString(), "--no-provision"]);

        await ShouldFailWithoutPublishingAsync(
            sandbox, run, $"Missing QEMU for {unregistered} (qemu-{QemuEmulation.QemuArchitecture(unregistered)} in ");
        run.ErrorLines.Should().ContainSingle().Which.Should()
            .Contain("provisioning is off (--no-provision): run `sudo ./build.sh LocalServices`");
        }
        finally
        {
            if (disabled) System.Diagnostics.Process.Start("update-binfmts", ["--enable", "qemu-s390x"])!.WaitForExit();
        }
    }

    [SkippableFact]
    public async Task Failing_RUN_step_fails_naming_the_step_and_its_exit_code_and_merges_nothing()
    {
        ServiceRequirement.Require(Needs);
        await using var sandbox = await PipelineSandbox.StartAsync();
        var app = sandbox.Folder("app-failing-step");
        // The amd64 child of the busybox base by its own tag: no index, no emulation, and a step that cannot be cached.
        File.WriteAllText(app / "Dockerfile", "FROM 127.0.0.1:5000/multiarch/busybox:1.35-amd64\nRUN echo about to fail && exit 3\n");

        var run = await sandbox.RunAsync(["MergeManifest", "--image-platforms", "linux/amd64", "--app-directory", app]);

        await ShouldFailWithoutPublishingAsync(sandbox, run, "RUN echo about to fail && exit 3");
        run.ErrorLines.Should().Contain(line => line.Contains("exit code: 3"));
        run.Output.Should().Contain("about to fail", "the failing step's own output is shown");
    }

    static async Task ShouldFailWithoutPublishingAsync(PipelineSandbox sandbox, PipelineRun run, string message)
    {
        run.ExitCode.Should().NotBe(0, run.ToString());
        run.ErrorLines.Should().Contain(line => line.Contains(message), run.ToString());
        run.Output.Should().NotContain("Unhandled exception")
            .And.NotMatchRegex(@"\n\s+at \S+\(", "a failure is one line, not a stack trace");
        (await sandbox.TagsAsync()).Should().BeEmpty("nothing is pushed when the run fails before its push");
    }
}
