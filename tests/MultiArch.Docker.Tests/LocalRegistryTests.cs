using System.Diagnostics;
using MultiArch.Testing;

namespace MultiArch.Docker.Tests;

[Trait("Category", "Registry")]
public sealed class LocalRegistryTests
{
    [SkippableFact]
    public async Task Ensure_running_starts_a_registry_when_none_answers_and_says_so_then_stays_quiet()
    {
        ServiceRequirement.Require(Service.Registry);
        var host = $"127.0.0.1:{FreePort.Next()}";
        var directory = LocalRegistry.StateDirectory(host);
        try
        {
            var started = await LocalRegistry.EnsureRunningAsync(host);

            started.Should().StartWith($"Started a local registry at {host} ({LocalRegistry.RegistryBinary}, pid ");
            (await LocalRegistry.AnswersAsync(host)).Should().BeTrue();
            File.ReadAllText(Path.Combine(directory, "config.yml")).Should().Contain("delete:\n    enabled: true");
            (await LocalRegistry.EnsureRunningAsync(host)).Should().BeNull("one is running now, so there is nothing to say");
        }
        finally
        {
            var pidFile = Path.Combine(directory, "registry.pid");
            if (File.Exists(pidFile))
            {
                using var registry = Process.GetProcessById(int.Parse(File.ReadAllText(pidFile)));
                registry.Kill();
                await registry.WaitForExitAsync();
            }
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    [SkippableFact]
    public async Task The_registry_it_starts_outlives_the_build_without_the_builds_secrets_in_its_environment()
    {
        ServiceRequirement.Require(Service.Registry);
        var host = $"127.0.0.1:{FreePort.Next()}";
        var directory = LocalRegistry.StateDirectory(host);
        // A variable of this test's own, as MULTIARCH_REGISTRY_PASSWORD is in a build's environment.
        const string Secret = "MULTIARCH_LOCAL_REGISTRY_TEST_SECRET";
        Environment.SetEnvironmentVariable(Secret, "s3cret-for-the-registry-test");
        try
        {
            await LocalRegistry.EnsureRunningAsync(host, withheld: [Secret]);

            var pid = int.Parse(File.ReadAllText(Path.Combine(directory, "registry.pid")));
            var environ = File.ReadAllText($"/proc/{pid}/environ").Split('\0');
            environ.Should().Contain(v => v.StartsWith("PATH=", StringComparison.Ordinal), "the registry has the rest of the environment");
            environ.Should().NotContain(v => v.StartsWith(Secret + "=", StringComparison.Ordinal));
        }
        finally
        {
            Environment.SetEnvironmentVariable(Secret, null);
            var pidFile = Path.Combine(directory, "registry.pid");
            if (File.Exists(pidFile))
            {
                using var registry = Process.GetProcessById(int.Parse(File.ReadAllText(pidFile)));
                registry.Kill();
                await registry.WaitForExitAsync();
            }
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    [SkippableFact]
    public async Task Ensure_running_says_nothing_when_a_registry_already_answers()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var registry = await RegistryProcess.StartAsync();

        (await LocalRegistry.EnsureRunningAsync(registry.Host)).Should().BeNull();
        Directory.Exists(LocalRegistry.StateDirectory(registry.Host)).Should().BeFalse("nothing was started");
    }
}
