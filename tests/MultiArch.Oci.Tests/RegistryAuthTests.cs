using MultiArch.Testing;
using static MultiArch.Oci.Tests.MergeFixture;

namespace MultiArch.Oci.Tests;

[Trait("Category", "Registry")]
public sealed class RegistryAuthTests
{
    [SkippableFact]
    public async Task A_token_that_expires_mid_run_is_refreshed_and_the_merge_completes()
    {
        ServiceRequirement.Require(Service.Registry | Service.Skopeo);
        await using var issuer = await TokenIssuer.StartAsync();
        await using var registry = await RegistryProcess.StartAsync(RegistryMode.Token, issuer);
        using var client = registry.CreateClient();
        var sources = await TestImages.PushPlatformsAsync(client, "demo/app", Two);

        // Tokens now die after 2 s, but clients are told an hour: only the registry's 401 can reveal the expiry.
        issuer.Lifetime = TimeSpan.FromSeconds(2);
        issuer.AdvertisedLifetime = TimeSpan.FromHours(1);
        using (var warm = registry.CreateClient()) await warm.GetManifestAsync("demo/app", sources[0].Digest.ToString());
        using var merging = registry.CreateClient();
        await merging.GetManifestAsync("demo/app", sources[0].Digest.ToString()); // caches a pull token
        await Task.Delay(TimeSpan.FromSeconds(3));
        var issuedBefore = issuer.IssuedTokens;

        await merging.GetManifestAsync("demo/app", sources[1].Digest.ToString());
        issuer.IssuedTokens.Should().Be(issuedBefore + 1, "the registry's 401 made the client fetch a fresh pull token");
        await Task.Delay(TimeSpan.FromSeconds(3));
        var result = await new ManifestMerger(merging).MergeAsync(Request(merging, "demo/app", sources));

        await VerifyWithSkopeoAsync(registry, "demo/app", "1.2.3", result.Digest, Two);
    }

    [SkippableFact]
    public async Task A_merge_against_a_token_registry_costs_three_auth_round_trips()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var registry = await RegistryProcess.StartAsync(RegistryMode.Token);
        List<DigestRecord> sources;
        using (var seeding = registry.CreateClient()) sources = await TestImages.PushPlatformsAsync(seeding, "demo/app", Two);
        using var client = registry.CreateClient(); // fresh: no cached token, no known challenge

        var result = await new ManifestMerger(client).MergeAsync(Request(client, "demo/app", sources));

        // The first request's 401 challenge, then one token for pull and one for pull+push (cached per scope).
        result.Traffic.TokenRequests.Should().Be(2);
        result.Traffic.Requests.Should().Be(2 * 2 + 2 + 4 + 3);
    }

    [SkippableFact]
    public async Task Ghcr_style_token_answers_without_expires_in_and_with_access_token_work()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var issuer = await TokenIssuer.StartAsync();
        issuer.AdvertisedLifetime = null;
        issuer.UseAccessTokenField = true;
        await using var registry = await RegistryProcess.StartAsync(RegistryMode.Token, issuer);
        using var client = registry.CreateClient();

        var image = await TestImages.PushImageAsync(client, "acme/server", Platform.LinuxAmd64, tag: "1.0.0");

        (await client.HeadManifestAsync("acme/server", "1.0.0"))!.Digest.Should().Be(image.Digest);
        client.Traffic.TokenRequests.Should().BeGreaterThan(0).And.BeLessThan(client.Traffic.Requests / 2,
            "tokens are cached per scope, not fetched per request");
    }

    [SkippableTheory]
    [InlineData(RegistryMode.Htpasswd)]
    [InlineData(RegistryMode.Token)]
    public async Task Wrong_credentials_give_one_clear_line_without_the_secret(RegistryMode mode)
    {
        ServiceRequirement.Require(Service.Registry);
        await using var registry = await RegistryProcess.StartAsync(mode);
        const string wrong = "definitely-wrong-password-1234";
        using var client = registry.CreateClient(new RegistryClientOptions { Credentials = new RegistryCredentials("tester", wrong) });

        var act = () => TestImages.PushImageAsync(client, "demo/app", Platform.LinuxAmd64);

        var error = (await act.Should().ThrowAsync<OciRegistryException>()).Which;
        error.Message.Should().Be($"Authentication to {registry.Host} failed (HTTP 401): " +
            "check the username and password or token for this registry.");
        error.ToString().Should().NotContain(wrong).And.NotContain(registry.Credentials!.Password);
    }

    [SkippableFact]
    public async Task Anonymous_push_to_a_token_registry_is_refused_with_401()
    {
        ServiceRequirement.Require(Service.Registry);
        await using var registry = await RegistryProcess.StartAsync(RegistryMode.Token);
        using var client = new RegistryClient(registry.Host);
        await client.PingAsync(); // like `docker login`, the base endpoint only needs an (anonymous) token

        var act = () => TestImages.PushImageAsync(client, "demo/app", Platform.LinuxAmd64);

        (await act.Should().ThrowAsync<OciRegistryException>()).Which.StatusCode.Should().Be(System.Net.HttpStatusCode.Unauthorized);
    }

    [SkippableFact]
    public async Task Credentials_from_the_docker_config_file_are_used()
    {
        ServiceRequirement.Require(Service.Registry | Service.Htpasswd);
        await using var registry = await RegistryProcess.StartAsync(RegistryMode.Htpasswd);
        using var dir = new TempDirectory();
        var auth = Convert.ToBase64String(
            System.Text.Encoding.UTF8.GetBytes($"{registry.Credentials!.Username}:{registry.Credentials.Password}"));
        var config = dir.File("config.json", "{\"auths\":{\"" + registry.Host + "\":{\"auth\":\"" + auth + "\"}}}");

        var resolved = RegistryCredentials.Resolve(registry.Host, null, null, config);
        using var client = new RegistryClient(registry.Host, new RegistryClientOptions { Credentials = resolved });
        using var anonymous = new RegistryClient(registry.Host);

        resolved.Should().Be(registry.Credentials, "no --registry-username or password was given, so the config's auth entry is used");
        var image = await TestImages.PushImageAsync(client, "demo/app", Platform.LinuxAmd64, tag: "1.0.0");
        (await client.HeadManifestAsync("demo/app", "1.0.0"))!.Digest.Should().Be(image.Digest);
        // The same registry refuses a client without them: the push above went through on the config's credentials.
        (await anonymous.Invoking(c => c.HeadManifestAsync("demo/app", "1.0.0")).Should().ThrowAsync<OciRegistryException>())
            .Which.StatusCode.Should().Be(System.Net.HttpStatusCode.Unauthorized);
    }
}
