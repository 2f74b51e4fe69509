using MultiArch.Testing;
using static MultiArch.Oci.Tests.MergeFixture;

namespace MultiArch.Oci.Tests;

[Trait("Category", "Registry")]
public sealed class FaultToleranceTests
{
    [SkippableFact]
    public async Task A_registry_answering_429_and_503_on_some_requests_still_gets_the_right_index()
    {
        ServiceRequirement.Require(Service.Registry | Service.Skopeo);
        await using var registry = await RegistryProcess.StartAsync();
        using var direct = registry.CreateClient();
        var sources = await TestImages.PushPlatformsAsync(direct, "demo/app", Two);
        await using var proxy = await FaultProxy.StartAsync(new Uri($"http://{registry.Host}"), faultRate: 0.3, seed: 7,
            kinds: [FaultKind.TooManyRequests, FaultKind.ServiceUnavailable]);
        using var client = new RegistryClient(proxy.Host);

        var result = await new ManifestMerger(client).MergeAsync(Request(client, "demo/app",
            sources.Select(s => s with { Repository = ImageReference.Parse($"{proxy.Host}/demo/app") }).ToList()));

        proxy.InjectedTotal.Should().BeGreaterThan(0);
        result.Traffic.Retries.Should().Be(proxy.InjectedTotal, "each injected fault costs exactly one retry");
        await VerifyWithSkopeoAsync(registry, "demo/app", "latest", result.Digest, Two);
    }

    [SkippableFact]
    public async Task Push_and_merge_under_30_percent_faults_of_every_kind_give_the_same_digests_as_a_clean_run()
    {
        ServiceRequirement.Require(Service.Registry | Service.Skopeo);
        await using var clean = await RegistryProcess.StartAsync();
        using var cleanClient = clean.CreateClient();
        var expected = await new ManifestMerger(cleanClient).MergeAsync(
            Request(cleanClient, "demo/app", await TestImages.PushPlatformsAsync(cleanClient, "demo/app", Two)));

        await using var registry = await RegistryProcess.StartAsync();
        await using var proxy = await FaultProxy.StartAsync(new Uri($"http://{registry.Host}"), faultRate: 0.3, seed: 11);
        using var client = new RegistryClient(proxy.Host);
        var started = DateTime.UtcNow;

        var sources = await TestImages.PushPlatformsAsync(client, "demo/app", Two);
        var result = await new ManifestMerger(client).MergeAsync(Request(client, "demo/app", sources));

        result.Digest.Should().Be(expected.Digest, "faults must not change what is published");
        proxy.Injected.Keys.Should().Contain([FaultKind.ResetMidBody, FaultKind.TooManyRequests]);
        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromMinutes(2), "retries are bounded");
        await VerifyWithSkopeoAsync(registry, "demo/app", "1.2.3", result.Digest, Two);
    }

    [SkippableFact]
    public async Task A_registry_that_keeps_failing_gives_up_after_the_configured_attempts()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var registry = await RegistryProcess.StartAsync();
        await using var proxy = await FaultProxy.StartAsync(new Uri($"http://{registry.Host}"), faultRate: 1.0,
            kinds: [FaultKind.ServiceUnavailable]);
        using var client = new RegistryClient(proxy.Host, new RegistryClientOptions
        {
            Retry = new RetryPolicy { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(10) },
        });

        var act = () => client.GetManifestAsync("demo/app", "latest");

        (await act.Should().ThrowAsync<OciRegistryException>()).WithMessage("GET manifest demo/app:latest on " +
            $"{proxy.Host} failed: HTTP 503*");
        proxy.Requests.Should().Be(4);
    }
}
