using Xunit.Abstractions;
using System.Collections.Concurrent;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using MultiArch.Oci;
using MultiArch.Testing;

namespace MultiArch.Docker.Tests;

// Real dockerd, real QEMU, the busybox base index that TestServices (build/Build.Services.cs) pushes to 127.0.0.1:5000, and for pushes a
// fresh RegistryProcess. Builds are a few files on busybox so the suite stays fast.
[Trait("Category", "Docker")]
public sealed class ImageBuildTests(ITestOutputHelper log) : IAsyncLifetime, IDisposable
{
    private const string BusyboxIndex = "127.0.0.1:5000/multiarch/busybox:1.35";
    private readonly TemporaryBuildContext _context = new();
    private readonly string _run = Guid.NewGuid().ToString("N")[..10];
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentStack<ImageReference> _created = new();
    private DockerCli _cli = null!;

    public async Task InitializeAsync()
    {
        if (ServiceRequirement.Missing(Service.Docker) is null) _cli = await DockerCli.LocateAsync();
    }

    // The tags a test created are removed, newest first (an app before its base), so repeated runs do not fill the engine.
    public async Task DisposeAsync()
    {
        if (_cli is null || _created.IsEmpty) return;
        await Cli.Wrap(_cli.Path).WithArguments(["rmi", .. _created.Select(tag => tag.ToString())])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
    }

    public void Dispose() => _context.Dispose();

    [SkippableFact]
    public async Task Two_stage_arm64_build_pushed_to_a_registry_returns_the_digest_skopeo_confirms_as_linux_arm64()
    {
        ServiceRequirement.Require(Service.Docker | Service.Qemu | Service.Registry | Service.Skopeo);
        await using var registry = await RegistryProcess.StartAsync();
        // The run id in the RUN step keeps BuildKit's cache from skipping it, so QEMU really runs each time.
        _context.Write("Dockerfile.base", $"ARG BASE_IMAGE\nFROM ${{BASE_IMAGE}}\nRUN echo {_run} && uname -m > /etc/base-arch\n");
        _context.Write("Dockerfile", "ARG APP_BASE\nFROM ${APP_BASE}\nCOPY hello.txt /hello.txt\nRUN cat /etc/base-arch /hello.txt\n");
        _context.Write("hello.txt", "hello\n");
        var builder = ImageBuilderSelector.Select(_cli, containerdImageStore: false);
        var baseTag = ImageReference.Parse($"multiarch-test-{_run}/base:1.0.0-arm64-run1");
        _created.Push(baseTag);

        await builder.BuildAsync(new ImageBuildRequest
        {
            ContextDirectory = _context.Directory,
            Dockerfile = "Dockerfile.base",
            Platform = Platform.LinuxArm64,
            Tags = [baseTag],
            BuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = BusyboxIndex },
        }, _output.Enqueue);
        var app = ImageReference.Parse($"{registry.Host}/multiarch-test-{_run}/app:1.0.0-arm64");
        _created.Push(app);
        var result = await builder.BuildAsync(new ImageBuildRequest
        {
            ContextDirectory = _context.Directory,
            Dockerfile = "Dockerfile",
            Platform = Platform.LinuxArm64,
            Tags = [app],
            BuildArgs = new Dictionary<string, string> { ["APP_BASE"] = baseTag.ToString() },
            Labels = new Dictionary<string, string> { ["org.opencontainers.image.revision"] = _run },
            LocalBaseImage = baseTag.ToString(),
            Push = true,
        }, _output.Enqueue);

        result.PushedDigest.Should().NotBeNull();
        var stored = await Skopeo.InspectRawAsync($"{app.Name}@{result.PushedDigest}");
        Digest.Compute(System.Text.Encoding.UTF8.GetBytes(stored)).Should().Be(result.PushedDigest, "the digest names exactly " +
            "what the registry stores");
        // skopeo's non-raw inspect reads the config blob too, which is where the platform lives.
        var inspected = await SkopeoInspectAsync($"{app.Name}@{result.PushedDigest}");
        inspected.GetProperty("Digest").GetString().Should().Be(result.PushedDigest!.ToString());
        inspected.GetProperty("Os").GetString().Should().Be("linux");
        inspected.GetProperty("Architecture").GetString().Should().Be("arm64");
        inspected.GetProperty("Labels").GetProperty("org.opencontainers.image.revision").GetString().Should().Be(_run);
        _output.Should().Contain(line => line.EndsWith("aarch64"), "the base's RUN step ran under QEMU for arm64");
        _output.Should().Contain(line => line.EndsWith(": Pushed"), "push progress is reported line by line");
    }

    [SkippableTheory]
    [InlineData("linux/arm64", "1.35-arm64", "aarch64")]
    [InlineData("linux/arm/v7", "1.35-arm-v7", "armv7l")]
    public async Task Run_for_a_foreign_platform_prints_its_machine_name(string platform, string tag, string machine)
    {
        ServiceRequirement.Require(Service.Docker | Service.Qemu);

        var stdout = await _cli.RunAsync($"127.0.0.1:5000/multiarch/busybox:{tag}", Platform.Parse(platform), ["uname", "-m"]);

        stdout.Trim().Should().Be(machine);
    }

    [SkippableFact]
    public async Task Failing_RUN_step_throws_one_line_with_the_failing_steps_last_lines()
    {
        ServiceRequirement.Require(Service.Docker | Service.Qemu);
        _context.Write("Dockerfile", $"FROM {BusyboxIndex}\nRUN echo first-line && for i in $(seq 1 30); " +
            "do echo step-output-$i; done && exit 3\n");

        var error = await ImageBuilderSelector.Select(_cli, false).Invoking(b => b.BuildAsync(new ImageBuildRequest
        {
            ContextDirectory = _context.Directory,
            Dockerfile = "Dockerfile",
            Platform = Platform.LinuxArm64,
        }, _output.Enqueue)).Should().ThrowAsync<DockerCommandException>();

        log.WriteLine(error.Which.Message);
        foreach (var line in error.Which.OutputTail) log.WriteLine("  " + line);
        error.Which.Message.Should().Contain("linux/arm64").And.Contain("RUN echo first-line").And.Contain("exit code: 3")
            .And.NotContain("\n");
        error.Which.OutputTail.Should().HaveCountLessThanOrEqualTo(20)
            .And.Contain(line => line.EndsWith("step-output-30"))
            .And.NotContain(line => line.Contains("load build definition"), "only the failing step's lines are kept");
        _output.Should().Contain(line => line.EndsWith("first-line"), "the whole output was streamed as it came");
    }

    [SkippableFact]
    public async Task Secret_echoed_by_a_failing_step_is_masked_in_the_output_and_the_exception()
    {
        ServiceRequirement.Require(Service.Docker);
        const string secret = "s3cr3t-token-value";
        var cli = new DockerCli(_cli.Path, _cli.BuildxVersion) { Masker = new MultiArch.Processes.SecretMasker([secret]) };
        _context.Write("Dockerfile", $"FROM {BusyboxIndex}\nARG TOKEN\nRUN echo \"token is $TOKEN\" && exit 1\n");

        var error = await ImageBuilderSelector.Select(cli, false).Invoking(b => b.BuildAsync(new ImageBuildRequest
        {
            ContextDirectory = _context.Directory,
            Dockerfile = "Dockerfile",
            Platform = Platform.LinuxAmd64,
            BuildArgs = new Dictionary<string, string> { ["TOKEN"] = secret },
        }, _output.Enqueue)).Should().ThrowAsync<DockerCommandException>();

        _output.Should().Contain(line => line.EndsWith("token is ***")).And.NotContain(line => line.Contains(secret));
        error.Which.OutputTail.Should().NotContain(line => line.Contains(secret));
        error.Which.Message.Should().NotContain(secret);
    }

    [SkippableFact]
    public async Task App_build_whose_local_base_is_missing_says_to_build_the_base_first()
    {
        ServiceRequirement.Require(Service.Docker);
        _context.Write("Dockerfile", "ARG APP_BASE\nFROM ${APP_BASE}\n");
        var missingBase = $"multiarch-test-{_run}/base:never-built-arm64";

        var error = await ImageBuilderSelector.Select(_cli, false).Invoking(b => b.BuildAsync(new ImageBuildRequest
        {
            ContextDirectory = _context.Directory,
            Dockerfile = "Dockerfile",
            Platform = Platform.LinuxArm64,
            BuildArgs = new Dictionary<string, string> { ["APP_BASE"] = missingBase },
            LocalBaseImage = missingBase,
        }, _output.Enqueue)).Should().ThrowAsync<DockerInputException>();

        error.Which.Message.Should().Be(
            $"Base image '{missingBase}' is not in the local Docker engine: build the base for linux/arm64 first (BuildBase), " +
            "then build this image.");
        _output.Should().BeEmpty("nothing ran");
    }

    private static async Task<JsonElement> SkopeoInspectAsync(string reference)
    {
        var result = await Cli.Wrap("skopeo").WithArguments(["inspect", "--tls-verify=false", $"docker://{reference}"])
            .ExecuteBufferedAsync();
        return JsonDocument.Parse(result.StandardOutput).RootElement.Clone();
    }
}
