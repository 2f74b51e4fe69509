using System.Diagnostics;
using MultiArch.Oci;
using MultiArch.Testing;
using Xunit.Abstractions;

namespace MultiArch.Docker.Tests;

// Contexts made by the real docker CLI in a temporary DOCKER_CONFIG, and the CLI's own answer to compare with.
[Trait("Category", "Unit")]
public sealed class DockerEndpointTests(ITestOutputHelper log) : IDisposable
{
    readonly TemporaryBuildContext _config = new();

    public void Dispose() => _config.Dispose();

    [SkippableFact]
    public void DOCKER_CONTEXT_then_currentContext_name_the_context_whose_meta_holds_the_host()
    {
        Skip.If(!File.Exists(DockerCli.DebianClient), "no /usr/bin/docker");
        Cli("context", "create", "second", "--docker", "host=unix:///tmp/ma-second.sock");
        Cli("context", "create", "third", "--docker", "host=tcp://127.0.0.1:2999");
        var environment = new Dictionary<string, string> { ["DOCKER_CONFIG"] = _config.Directory };

        var named = DockerEndpoint.Resolve(new Dictionary<string, string>(environment) { ["DOCKER_CONTEXT"] = "second" });
        named.Should().Be(new DockerEndpoint("unix:///tmp/ma-second.sock", "context 'second' (DOCKER_CONTEXT)"));

        Cli("context", "use", "third");
        var current = DockerEndpoint.Resolve(environment);
        log.WriteLine(current.ToString());
        current.Host.Should().Be("tcp://127.0.0.1:2999").And.Be(Cli("context", "inspect", "--format", "{{.Endpoints.docker.Host}}").Trim(),
            "the docker CLI resolves the same");
        current.Source.Should().Be($"context 'third' (currentContext in {Path.Combine(_config.Directory, "config.json")})");
        current.IsNamedContext.Should().BeTrue();

        // DOCKER_CONTEXT beats currentContext, and DOCKER_HOST beats both.
        DockerEndpoint.Resolve(new Dictionary<string,
            string>(environment) { ["DOCKER_CONTEXT"] = "second" }).Host.Should().Be("unix:///tmp/ma-second.sock");
        DockerEndpoint.Resolve(new Dictionary<string,
            string>(environment) { ["DOCKER_CONTEXT"] = "second", ["DOCKER_HOST"] = "unix:///tmp/ma-host.sock" })
            .Should().Be(DockerEndpoint.FromHost("unix:///tmp/ma-host.sock"));
        // An empty DOCKER_HOST or DOCKER_CONTEXT counts as unset, as in the CLI since v23 (os.Getenv(...) != "").
        DockerEndpoint.Resolve(new Dictionary<string,
            string>(environment) { ["DOCKER_HOST"] = "", ["DOCKER_CONTEXT"] = "" }).Host.Should().Be("tcp://127.0.0.1:2999");
        // "default" is the context of DOCKER_HOST or the default socket, never looked up in meta.
        DockerEndpoint.Resolve(new Dictionary<string,
            string>(environment) { ["DOCKER_CONTEXT"] = "default" }).Host.Should().Be(DockerEndpoint.DefaultHost);
    }

    [SkippableFact]
    public void Without_DOCKER_CONFIG_the_config_is_read_from_HOME()
    {
        Skip.If(!File.Exists(DockerCli.DebianClient), "no /usr/bin/docker");
        var dotDocker = Path.Combine(_config.Directory, ".docker");
        CliIn(dotDocker, "context", "create", "home", "--docker", "host=unix:///tmp/ma-home.sock");
        CliIn(dotDocker, "context", "use", "home");

        DockerEndpoint.Resolve(new Dictionary<string,
            string> { ["HOME"] = _config.Directory }).Host.Should().Be("unix:///tmp/ma-home.sock");
        DockerEndpoint.Resolve(new Dictionary<string,
            string> { ["HOME"] = Path.Combine(_config.Directory, "empty") }).Should().Be(DockerEndpoint.Default);
    }

    [Fact]
    public void Context_name_that_is_not_there_fails_in_one_line_naming_the_file_and_the_fix()
    {
        File.WriteAllText(Path.Combine(_config.Directory, "config.json"), """{"auths":{},"currentContext":"gone"}""");
        var meta = Path.Combine(_config.Directory, "contexts", "meta", DockerEndpoint.ContextDirectoryName("gone"), "meta.json");

        FluentActions.Invoking(() => DockerEndpoint.Resolve(new Dictionary<string, string> { ["DOCKER_CONFIG"] = _config.Directory }))
            .Should().Throw<DockerEngineUnavailableException>().Which.Message.Should()
            .Be($"Docker context 'gone' (currentContext in {Path.Combine(_config.Directory, "config.json")}) does not exist: " +
                $"there is no {meta}; " +
                "run `docker context ls` to see the contexts, " +
                "then run `docker context use default` or `docker context use <one of those>`.");
        FluentActions.Invoking(() =>
            DockerEndpoint.Resolve(new Dictionary<string, string> { ["DOCKER_CONFIG"] = _config.Directory, ["DOCKER_CONTEXT"] = "nope" }))
            .Should().Throw<DockerEngineUnavailableException>().Which.Message.Should().Contain("set DOCKER_CONTEXT to one of " +
                "those, or unset it");
    }

    [SkippableFact]
    public void Context_with_TLS_files_fails_in_one_line_rather_than_dropping_them()
    {
        Skip.If(!File.Exists(DockerCli.DebianClient), "no /usr/bin/docker");
        // A real key pair, so the CLI stores it as it would for a remote engine with client certificates.
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=multiarch-test", key,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var pem = Path.Combine(_config.Directory, "pem");
        Directory.CreateDirectory(pem);
        File.WriteAllText(Path.Combine(pem, "cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(pem, "ca.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(pem, "key.pem"), key.ExportRSAPrivateKeyPem());
        Cli("context", "create", "secure", "--docker",
            $"host=tcp://127.0.0.1:2376,ca={pem}/ca.pem,cert={pem}/cert.pem,key={pem}/key.pem");
        var tls = Path.Combine(_config.Directory, "contexts", "tls", DockerEndpoint.ContextDirectoryName("secure"), "docker");

        FluentActions.Invoking(() =>
            DockerEndpoint.Resolve(new Dictionary<string, string> { ["DOCKER_CONFIG"] = _config.Directory, ["DOCKER_CONTEXT"] = "secure" }))
            .Should().Throw<DockerEngineUnavailableException>().Which.Message.Should()
            .Be($"Docker context 'secure' (DOCKER_CONTEXT) reaches tcp://127.0.0.1:2376 over TLS ({tls}), " +
                "which MultiArch does not pass on: " +
                $"set DOCKER_HOST=tcp://127.0.0.1:2376 with DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH={tls}, or use a context without TLS.");
    }

    [SkippableFact]
    public async Task Ssh_context_resolves_but_the_probe_says_in_one_line_how_to_reach_it()
    {
        Skip.If(!File.Exists(DockerCli.DebianClient), "no /usr/bin/docker");
        Cli("context", "create", "remote", "--docker", "host=ssh://builder@build-host.invalid");
        var endpoint = DockerEndpoint.Resolve(new Dictionary<string,
            string> { ["DOCKER_CONFIG"] = _config.Directory, ["DOCKER_CONTEXT"] = "remote" });

        var status = await new DockerEngineProbe(endpoint).ProbeAsync();

        endpoint.Host.Should().Be("ssh://builder@build-host.invalid");
        status.Reachable.Should().BeFalse();
        status.Problem.Should().Be("Docker engine address ssh://builder@build-host.invalid (from context 'remote' " +
            "(DOCKER_CONTEXT)) is not one MultiArch can probe (unix://, tcp://, http(s)://): forward it to a local socket, e.g. " +
            "`ssh -NL /tmp/docker.sock:/var/run/docker.sock host &`, and set DOCKER_HOST=unix:///tmp/docker.sock.");
    }

    [Fact]
    public void Context_directory_is_the_sha256_of_the_name_as_the_docker_CLI_names_it()
    {
        // sha256("default"), the same digest.FromString gives in cli/context/store/store.go contextdirOf.
        DockerEndpoint.ContextDirectoryName("default").Should().Be("37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f");
    }

    [Fact]
    public void Broken_config_json_fails_in_one_line()
    {
        File.WriteAllText(Path.Combine(_config.Directory, "config.json"), "{ not json");
        FluentActions.Invoking(() => DockerEndpoint.Resolve(new Dictionary<string, string> { ["DOCKER_CONFIG"] = _config.Directory }))
            .Should().Throw<DockerEngineUnavailableException>().Which.Message.Should()
            .StartWith($"Docker config {Path.Combine(_config.Directory, "config.json")} is not valid JSON (").And.NotContain("\n");
    }

    string Cli(params string[] arguments) => CliIn(_config.Directory, arguments);

    static string CliIn(string configDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(DockerCli.DebianClient) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOCKER_CONFIG"] = configDirectory;
        start.Environment.Remove("DOCKER_HOST");
        start.Environment.Remove("DOCKER_CONTEXT");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, $"docker {string.Join(' ', arguments)}: {error}");
        return output;
    }
}

// A second dockerd on its own socket, named only by a context in the docker config: the probe (Docker.DotNet) and the
// docker client it hands out must both reach that engine, and nothing may land on the default one.
[Trait("Category", "Docker")]
public sealed class SecondEngineEndpointTests(ITestOutputHelper log)
{
    [SkippableFact]
    public async Task Probe_and_client_both_talk_to_the_engine_the_current_context_names()
    {
        ServiceRequirement.Require(Service.Docker | Service.RootOnDebian);
        Skip.If(!File.Exists("/usr/sbin/dockerd") && !File.Exists("/usr/bin/dockerd"), "no dockerd to start a second engine with");
        using var config = new TemporaryBuildContext();
        await using var second = await SecondEngine.StartAsync();
        Docker(config.Directory, null, "context", "create", "ma2", "--docker", $"host={second.Host}");
        Docker(config.Directory, null, "context", "use", "ma2");
        var environment = new Dictionary<string, string> { ["DOCKER_CONFIG"] = config.Directory };

        var endpoint = DockerEndpoint.Resolve(environment);
        var probe = new DockerEngineProbe(endpoint);
        var status = await probe.EnsureReadyAsync([Platform.LinuxAmd64]); // runs the exec probe there, through the client
        var main = await new DockerEngineProbe(DockerEndpoint.Default).ProbeAsync();

        log.WriteLine(endpoint.ToString());
        log.WriteLine(status.ToString());
        endpoint.Host.Should().Be(second.Host);
        status.DataRoot.Should().Be(second.DataRoot, "Docker.DotNet asked the second engine");
        main.DataRoot.Should().NotBe(second.DataRoot);

        // The client: a tag made through it exists on the second engine and not on the default one. This test process
        // has no DOCKER_CONFIG, so a child left to resolve on its own would have gone to the default engine.
        var tag = $"multiarch-test/second-engine:{Guid.NewGuid():N}";
        await status.Cli!.TagAsync(PlatformProbe.Tag(Platform.LinuxAmd64), tag);
        Docker(null, second.Host, "image", "inspect", "--format", "{{.Id}}", tag).Should().StartWith("sha256:");
        Run(null, DockerEndpoint.DefaultHost, ["image", "inspect", tag], expectSuccess: false);
    }

    static string Docker(string? configDirectory, string? host, params string[] arguments) => Run(configDirectory, host, arguments, true);

    static string Run(string? configDirectory, string? host, string[] arguments, bool expectSuccess)
    {
        var start = new ProcessStartInfo(DockerCli.DebianClient) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        if (configDirectory is not null) start.Environment["DOCKER_CONFIG"] = configDirectory;
        if (host is not null) start.Environment["DOCKER_HOST"] = host; else start.Environment.Remove("DOCKER_HOST");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (expectSuccess) process.ExitCode.Should().Be(0, $"docker {string.Join(' ', arguments)}: {error}");
        else process.ExitCode.Should().NotBe(0, $"docker {string.Join(' ', arguments)} on {host} should find nothing");
        return output;
    }
}
