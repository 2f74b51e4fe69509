using System.Text;
using MultiArch.Oci;
using MultiArch.Testing;

namespace MultiArch.Components.Tests;

/// <summary>
/// One <c>./build.sh MergeManifest</c> of the example for linux/amd64 and linux/arm64, shared by the tests that
/// check what it published. It runs on first use, after the test has checked its services, so a missing service
/// skips (or, in CI, fails) each test instead of breaking the fixture. A failed run fails every test that uses it.
/// </summary>
public sealed class PublishedImage : IAsyncLifetime
{
    readonly object _gate = new();
    PipelineSandbox? _sandbox;
    Task<Published>? _published;

    /// <summary>The outcome of the run: the sandbox, what build.sh printed, and the index as skopeo reads it.</summary>
    public sealed record Published(PipelineSandbox Sandbox, PipelineRun Run, ImageIndex Index, Digest IndexDigest);

    /// <summary>Runs the acceptance command (once) and reads the index back with skopeo.</summary>
    public Task<Published> GetAsync()
    {
        lock (_gate) return _published ??= PublishAsync();
    }

    async Task<Published> PublishAsync()
    {
        _sandbox = await PipelineSandbox.StartAsync();
        // Only the base image's FROM arrives from the environment, as in the acceptance; GITHUB_REPOSITORY gives the
        // source label a value (this repository has no origin remote).
        var run = await _sandbox.RunScriptAsync(["MergeManifest"], new Dictionary<string, string>
        {
            ["BASE_IMAGE"] = HelloBuild.BusyboxIndex,
            ["GITHUB_REPOSITORY"] = "multiarch-tests/hello",
        });
        run.ExitCode.Should().Be(0, run.ToString());
        var raw = Encoding.UTF8.GetBytes(await Skopeo.InspectRawAsync(_sandbox.Reference(_sandbox.Version)));
        return new Published(_sandbox, run, ImageIndex.Parse(raw), Digest.Compute(raw));
    }

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_sandbox is not null) await _sandbox.DisposeAsync();
    }
}
