using MultiArch.Oci;
using MultiArch.Testing;

namespace MultiArch.Hardening.Tests;

/// <summary>
/// Issue 13, items 5, 6 and 11: PushArch's <c>docker push</c> with the run's own credentials against a real htpasswd
/// registry the engine was never logged in to, a push to a registry that stops answering, a credential helper that
/// hangs, the password handed over in a file or on standard input, and what the docker children inherit, read from
/// their <c>/proc/PID/environ</c> while they run.
/// </summary>
[Trait("Category", "Registry"), Collection(ReliabilityCollection.Name)]
public sealed class PushCredentialTests
{
    const string Repository = "multiarch/hardening";

    static string[] Push(string registry, params string[] more) =>
        ["PushArch", "--skip", "--registry", registry, "--version", "1.0.0", "--platform", "linux/amd64", .. more];

    static string Tag(string registry) => $"{registry}/{Repository}:1.0.0-amd64";

    // The user's docker config must not know the registry: the push can only work with the credentials given.
    static void EngineIsNotLoggedIn(RegistryProcess registry) =>
        DockerConfigCredentials.Find(registry.Host).Should()
            .BeNull($"{DockerConfigCredentials.DefaultPath} must hold no login for {registry.Host}");

    static IReadOnlyList<string> PrivateConfigs() =>
        Directory.GetDirectories(Path.GetTempPath(), "multiarch-docker-config-*");

    [SkippableFact]
    public async Task PushArch_pushes_with_the_given_password_to_an_htpasswd_registry_the_engine_is_not_logged_in_to()
    {
        ServiceRequirement.Require(Service.Registry | Service.Htpasswd | Service.Docker | Service.Skopeo);
        await using var registry = await RegistryProcess.StartAsync(RegistryMode.Htpasswd);
        EngineIsNotLoggedIn(registry);
        await using var image = await LocalImage.CreateAsync(Tag(registry.Host), "pushed with the password given");
        var configsBefore = PrivateConfigs();
        using var run = new CommandRun();
        run.Environment["MULTIARCH_REGISTRY_PASSWORD"] = registry.Credentials!.Password;

        await run.RunAsync(Push(registry.Host, "--registry-username", registry.Credentials.Username));

        run.ExitCode.Should().Be(0, run.Output);
        var raw = await Skopeo.InspectRawAsync(Tag(registry.Host), registry.Credentials);
        raw.Should().Contain("layers");
        run.Output.Should().NotContain(registry.Credentials.Password);
        Ledger.Secrets.Enqueue(new SecretFigure("MULTIARCH_REGISTRY_PASSWORD for docker push (htpasswd): the output", 1,
            run.Output.Contains(registry.Credentials.Password) ? 1 : 0));
        PrivateConfigs().Should().BeEquivalentTo(configsBefore, "the private DOCKER_CONFIG is deleted after the push");
        EngineIsNotLoggedIn(registry);
        Ledger.Notes.Enqueue("Credentials: PushArch with MULTIARCH_REGISTRY_PASSWORD pushed to an htpasswd registry the docker config " +
            "knew nothing of (a private DOCKER_CONFIG, filled by `docker login --password-stdin` and deleted after); before, `docker " +
            "push` ignored the password and failed.");
    }

    [SkippableFact]
    public async Task The_login_for_a_push_never_reaches_the_users_credential_store_and_leaves_the_users_config_alone()
    {
        ServiceRequirement.Require(Service.Registry | Service.Htpasswd | Service.Docker);
        await using var registry = await RegistryProcess.StartAsync(RegistryMode.Htpasswd);
        await using var image = await LocalImage.CreateAsync(Tag(registry.Host), "store untouched");
        using var root = new CommandRun();
        // A user whose docker config sends every login to a store (here one that is not installed, so any use of it fails).
        var dockerConfig = Directory.CreateDirectory(Path.Combine(root.Root, "docker-config")).FullName;
        var userConfig = $$"""{ "credsStore": "multiarch-nosuch", "credHelpers": { "{{registry.Host}}": "multiarch-nosuch" },"""
            + """ "HttpHeaders": { "X-Meta": "kept" } }""";
        File.WriteAllText(Path.Combine(dockerConfig, "config.json"), userConfig);
        var environment = new Dictionary<string, string>
        {
            ["DOCKER_CONFIG"] = dockerConfig, ["MULTIARCH_REGISTRY_USERNAME"] = registry.Credentials!.Username,
                ["MULTIARCH_REGISTRY_PASSWORD"] = registry.Credentials.Password,
        };

        var run = await PipelineProcess.RunAsync(root.Root, environment, null, TimeSpan.FromMinutes(2), Push(registry.Host));

        run.ExitCode.Should().Be(0, run.Output);
        File.ReadAllText(Path.Combine(dockerConfig, "config.json")).Should().Be(userConfig, "the user's config is read, never written");
        Directory.GetFileSystemEntries(dockerConfig).Should().ContainSingle("nothing is added to the user's config folder");
        run.Children.Where(c => c.CommandLine.Contains(" login ")).Should()
            .OnlyContain(c => c.Environment.Any(v => v.StartsWith("DOCKER_CONFIG=/tmp/multiarch-docker-config-")));
        Ledger.Notes.Enqueue("Credentials: a user whose docker config sends logins to a credential store (credsStore, credHelpers) still " +
            "pushed with MULTIARCH_REGISTRY_PASSWORD: the login went to the private DOCKER_CONFIG, and the user's config.json was left " +
            "byte for byte as it was.");
    }

    [SkippableFact]
    public async Task A_wrong_password_for_docker_push_says_credentials_rejected_by_the_registry_with_the_fix()
    {
        ServiceRequirement.Require(Service.Registry | Service.Htpasswd | Service.Docker);
        await using var registry = await RegistryProcess.StartAsync(RegistryMode.Htpasswd);
        EngineIsNotLoggedIn(registry);
        await using var image = await LocalImage.CreateAsync(Tag(registry.Host), "never pushed");
        const string Wrong = "hardening-wrong-Pw-5e1d";
        using var run = new CommandRun();
        run.Environment["MULTIARCH_REGISTRY_PASSWORD"] = Wrong;

        await run.RunAsync(Push(registry.Host, "--registry-username", registry.Credentials!.Username));

        var message = run.Errors.FirstOrDefault() ?? "";
        Ledger.BadInputs.Enqueue(new BadInputFigure("57 wrong password for docker push",
            "MULTIARCH_REGISTRY_PASSWORD=<wrong> PushArch (htpasswd registry)",
            run.ExitCode, message.Replace(registry.Host, "127.0.0.1:PORT"),
                run.ExitCode != 0 && run.Errors.Count == 1 && message.Contains($"Credentials rejected by {registry.Host}")));
        run.ExitCode.Should().Be(1, run.Output);
        run.Errors.Should().ContainSingle(run.Output);
        message.Should().Contain($"Credentials rejected by {registry.Host}").And.Contain("--registry-username").And.Contain("401")
            .And.NotContain("Preparing", "a progress line is not the cause");
        run.Output.Should().NotContain(Wrong);
        using var client = registry.CreateClient();
        (await client.ListRepositoriesAsync()).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task A_push_without_credentials_to_a_registry_that_wants_them_names_the_options_to_pass()
    {
        ServiceRequirement.Require(Service.Registry | Service.Htpasswd | Service.Docker);
        await using var registry = await RegistryProcess.StartAsync(RegistryMode.Htpasswd);
        EngineIsNotLoggedIn(registry);
        await using var image = await LocalImage.CreateAsync(Tag(registry.Host), "no credentials");
        using var run = new CommandRun();

        await run.RunAsync(Push(registry.Host));

        var message = run.Errors.FirstOrDefault() ?? "";
        var expected = $"Credentials rejected by {registry.Host} (none were given, so docker used its own config): pass " +
            "--registry-username and MULTIARCH_REGISTRY_PASSWORD";
        Ledger.BadInputs.Enqueue(new BadInputFigure("66 docker push without credentials", "PushArch, no password (htpasswd registry)",
            run.ExitCode, message.Replace(registry.Host, "127.0.0.1:PORT"),
                run.ExitCode == 1 && run.Errors.Count == 1 && message.Contains(expected)));
        run.ExitCode.Should().Be(1, run.Output);
        run.Errors.Should().ContainSingle(run.Output);
        message.Should().Contain(expected).And.Contain("no basic auth credentials").And.NotContain("Preparing");
    }

    [SkippableFact]
    public async Task A_push_to_a_registry_that_stops_answering_ends_after_its_budget()
    {
        ServiceRequirement.Require(Service.Docker);
        await using var registry = await HangingRegistry.StartAsync();
        await using var image = await LocalImage.CreateAsync(Tag(registry.Host), "never arrives");
        using var run = new CommandRun();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // The budget from the environment (MULTIARCH_PUSH_TIMEOUT_SECONDS, as --push-timeout-seconds):
        // code without one ignores it and hangs.
        run.Environment["MULTIARCH_PUSH_TIMEOUT_SECONDS"] = "5";
        var push = run.RunAsync(Push(registry.Host));
        var ended = await Task.WhenAny(push, Task.Delay(TimeSpan.FromMinutes(2))) == push;

        ended.Should().BeTrue("the push budget is 5 s; docker itself never gives up on a registry that accepted the connection");
        var message = run.Errors.FirstOrDefault() ?? "";
        Ledger.BadInputs.Enqueue(new BadInputFigure("58 registry stops answering during docker push",
            "MULTIARCH_PUSH_TIMEOUT_SECONDS=5 PushArch, registry hangs after /v2/",
            run.ExitCode, message.Replace(registry.Host, "127.0.0.1:PORT"), run.ExitCode == 1 && message.Contains("timed out after 5 s")));
        run.ExitCode.Should().Be(1, run.Output);
        message.Should().Contain($"docker push {Tag(registry.Host)} timed out after 5 s").And.Contain("--push-timeout-seconds");
        registry.Hung.Should().BeGreaterThan(0, "the push reached the registry and was left waiting");
        Ledger.Notes.Enqueue($"Timeouts: `docker push` to a registry that answers /v2/ and then never again ended after its 5 s budget " +
                             $"({clock.Elapsed.TotalSeconds:0} s in all, exit {run.ExitCode}, 'timed out after 5 s'); before, it waited " +
                             "for ever.");
    }

    [SkippableFact]
    public async Task A_credential_helper_that_hangs_in_docker_push_is_stopped_with_the_push()
    {
        ServiceRequirement.Require(Service.Docker | Service.Registry);
        await using var registry = await RegistryProcess.StartAsync();
        await using var image = await LocalImage.CreateAsync(Tag(registry.Host), "helper hangs");
        using var root = new CommandRun();
        // The user's docker config names a helper for this registry; the helper never answers (a locked keychain).
        var bin = Directory.CreateDirectory(Path.Combine(root.Root, "bin")).FullName;
        var helperName = "hang" + Guid.NewGuid().ToString("N")[..8];
        var helper = Path.Combine(bin, "docker-credential-" + helperName);
        var sleep = $"sleep 600.{Random.Shared.Next(10_000_000, 99_999_999)}"; // a command line only this helper has
        File.WriteAllText(helper, $"#!/bin/sh\n{sleep}\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(helper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var dockerConfig = Directory.CreateDirectory(Path.Combine(root.Root, "docker-config")).FullName;
        File.WriteAllText(Path.Combine(dockerConfig, "config.json"), $$"""{ "credHelpers": { "{{registry.Host}}": "{{helperName}}" } }""");
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH"), ["DOCKER_CONFIG"] = dockerConfig,
                ["MULTIARCH_PUSH_TIMEOUT_SECONDS"] = "5",
        };

        var run = await PipelineProcess.RunAsync(root.Root, environment, null, TimeSpan.FromMinutes(2), Push(registry.Host));

        run.ExitCode.Should().NotBeNull("a hanging helper must not hold the push for ever");
        run.Children.Should().Contain(c => c.CommandLine.Contains("docker-credential-" + helperName), "docker really called the helper");
        run.ExitCode.Should().Be(1, run.Output);
        run.Errors.Should().ContainSingle(run.Output).Which.Should().Contain("timed out after 5 s").And.Contain("credential helper");
        PipelineProcess.Find("docker-credential-" + helperName).Concat(PipelineProcess.Find(sleep)).Should()
            .BeEmpty("the helper is killed along with docker");
        Ledger.Notes.Enqueue("Timeouts: a credential helper that never answers, named in DOCKER_CONFIG for the registry, ended `docker " +
            "push` after its 5 s budget with one line, and the helper was killed with it; before, the push waited for ever.");
    }

    [SkippableFact]
    public async Task No_docker_child_inherits_the_registry_password_and_none_has_it_on_its_command_line()
    {
        ServiceRequirement.Require(Service.Docker);
        await using var registry = await HangingRegistry.StartAsync();
        await using var image = await LocalImage.CreateAsync(Tag(registry.Host), "environment");
        using var root = new CommandRun();
        const string Password = "hardening-env-S3cret-91c2";
        const string Token = "ghp_HARDENINGENV0123456789abcdef";
        var environment = new Dictionary<string, string>
        {
            ["MULTIARCH_REGISTRY_PASSWORD"] = Password, ["MULTIARCH_REGISTRY_USERNAME"] = "tester", ["GITHUB_TOKEN"] = Token,
                ["MULTIARCH_PUSH_TIMEOUT_SECONDS"] = "8",
        };

        // The registry stops answering after the login, so the docker push child lives long enough to be read in /proc,
        // and its private DOCKER_CONFIG to be looked at while it exists.
        var configs = new List<(UnixFileMode Mode, string Json)>();
        void PrivateConfig(ChildProcess child)
        {
            if (child.Name != "docker" || !child.CommandLine.Contains(" push ")) return;
            if (child.Environment.FirstOrDefault(v => v.StartsWith("DOCKER_CONFIG=", StringComparison.Ordinal)) is not { } variable) return;
            var folder = variable["DOCKER_CONFIG=".Length..];
            if (!OperatingSystem.IsWindows())
                configs.Add((File.GetUnixFileMode(folder), File.ReadAllText(Path.Combine(folder, "config.json"))));
        }
        var run = await PipelineProcess.RunAsync(root.Root, environment, null, TimeSpan.FromSeconds(90), PrivateConfig,
            Push(registry.Host));

        var docker = run.Children.Where(c => c.Name == "docker").ToList();
        docker.Should().Contain(c => c.CommandLine.Contains(" push "), run.Output);
        bool Holds(string text) => text.Contains(Password, StringComparison.Ordinal) || text.Contains(Token, StringComparison.Ordinal) ||
                                   text.Contains("MULTIARCH_REGISTRY_PASSWORD=", StringComparison.Ordinal)
                                       || text.Contains("GITHUB_TOKEN=", StringComparison.Ordinal);
        var places = run.Children.SelectMany(c => new[] { string.Join('\n', c.Environment), c.CommandLine }).Append(run.Output).ToList();
        Ledger.Secrets.Enqueue(new SecretFigure("MULTIARCH_REGISTRY_PASSWORD and GITHUB_TOKEN: environ and cmdline of each child read in " +
            "/proc during PushArch, and the output",
            places.Count, places.Count(Holds)));
        foreach (var child in run.Children)
        {
            child.Environment.Should().NotContain(v => v.StartsWith("MULTIARCH_REGISTRY_PASSWORD=", StringComparison.Ordinal)
                || v.StartsWith("GITHUB_TOKEN=", StringComparison.Ordinal),
                $"{child.Name} ({child.CommandLine}) does not need the secret");
            string.Join('\n', child.Environment).Should().NotContain(Password).And.NotContain(Token);
            child.CommandLine.Should().NotContain(Password);
        }
        docker.Should().Contain(c => c.CommandLine.Contains(" login "),
            "the password reaches docker through docker login --password-stdin");
        var (mode, json) = configs.Should().ContainSingle("the push ran with a private DOCKER_CONFIG").Subject;
        mode.Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, "no other user may read the login");
        json.Should().Contain(registry.Host).And.NotContain("credsStore");
        run.Output.Should().NotContain(Password).And.NotContain(Token);
        Ledger.Notes.Enqueue("Secrets: with MULTIARCH_REGISTRY_PASSWORD and GITHUB_TOKEN in the build's environment, " +
            $"{run.Children.Count} child processes were read in /proc " +
            $"({string.Join(", ", run.Children.Select(c => c.Name).Distinct().Order(StringComparer.Ordinal))}): none " +
            "inherited either variable or held the password in its environment or command line; before, every docker " +
            "child inherited both.");
    }

    [SkippableFact]
    public async Task The_password_from_a_file_or_standard_input_pushes_and_never_reaches_a_command_line()
    {
        ServiceRequirement.Require(Service.Registry | Service.Htpasswd | Service.Docker | Service.Skopeo);
        await using var registry = await RegistryProcess.StartAsync(RegistryMode.Htpasswd);
        EngineIsNotLoggedIn(registry);
        var password = registry.Credentials!.Password;
        await using var image = await LocalImage.CreateAsync(Tag(registry.Host), "password from a file");

        // A file, as a CI secret mounted on disk (with the line break editors add).
        using var fromFile = new CommandRun();
        var file = Path.Combine(fromFile.Root, "registry-password");
        File.WriteAllText(file, password + "\n");
        await fromFile.RunAsync(Push(registry.Host, "--registry-username", registry.Credentials.Username, "--registry-password-file",
            file));
        fromFile.ExitCode.Should().Be(0, fromFile.Output);
        fromFile.Output.Should().NotContain(password);

        // Standard input, as `printf %s "$TOKEN" | ./build.sh ... --registry-password-file -`, in a process of its own.
        using var root = new CommandRun();
        await using var second = await LocalImage.CreateAsync($"{registry.Host}/{Repository}:1.0.1-amd64", "password on stdin");
        var run = await PipelineProcess.RunAsync(root.Root, new Dictionary<string, string>(), password, TimeSpan.FromMinutes(2),
            ["PushArch", "--skip", "--registry", registry.Host, "--version", "1.0.1", "--platform", "linux/amd64",
             "--registry-username", registry.Credentials.Username, "--registry-password-file", "-"]);
        run.ExitCode.Should().Be(0, run.Output);
        run.Output.Should().NotContain(password);
        run.CommandLine.Should().NotContain(password);
        var places = run.Children.SelectMany(c => new[] { string.Join('\n', c.Environment), c.CommandLine })
            .Append(run.Output).Append(run.CommandLine).Append(fromFile.Output).ToList();
        Ledger.Secrets.Enqueue(new SecretFigure("--registry-password-file FILE and - (stdin): outputs, the build's cmdline, each child's " +
            "environ and cmdline",
            places.Count, places.Count(p => p.Contains(password, StringComparison.Ordinal))));
        run.Children.Should().NotContain(c => c.CommandLine.Contains(password) || c.Environment.Any(v => v.Contains(password)));
        using var client = registry.CreateClient();
        (await client.ListTagsAsync(Repository)).Should().Contain(["1.0.0-amd64", "1.0.1-amd64"]);
        Ledger.Notes.Enqueue("Secrets: `--registry-password-file FILE` and `--registry-password-file -` (standard input) each pushed to " +
            "an htpasswd registry; the password was in no output, no command line and no child's environment.");
    }
}
