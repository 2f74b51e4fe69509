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
    public async Task Ensure_running_says_nothing_when_a_registry_already_answers()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var registry = await RegistryProcess.StartAsync();

        (await LocalRegistry.EnsureRunningAsync(registry.Host)).Should().BeNull();
        Directory.Exists(LocalRegistry.StateDirectory(registry.Host)).Should().BeFalse("nothing was started");
    }
}
