using MultiArch.Processes;
using System.Text;
using System.Text.RegularExpressions;
using MultiArch.Oci;

namespace MultiArch.Docker;

/// <summary>
/// The docker command-line client MultiArch drives. Every command runs through <see cref="ProcessRunner"/> with its
/// output streamed line by line (masked) to a caller-supplied callback; a failure throws <see cref="DockerCommandException"/>.
/// </summary>
public sealed partial class DockerCli
{
    /// <summary>Debian's client: it has BuildKit built in, so it builds with BuildKit even without the buildx plugin.</summary>
    public const string DebianClient = "/usr/bin/docker";

    private bool? _hasBridge;

    /// <summary>Uses a specific client binary.</summary>
    /// <param name="path">The docker executable.</param>
    /// <param name="buildxVersion">The output of <c>docker buildx version</c>, or null when the client has no buildx.</param>
    public DockerCli(string path, string? buildxVersion)
    {
        Path = path;
        BuildxVersion = buildxVersion;
    }

    /// <summary>The docker executable in use.</summary>
    public string Path { get; }

    /// <summary>The first line of <c>docker buildx version</c>, or null when this client has no buildx.</summary>
    public string? BuildxVersion { get; }

    /// <summary>True when <c>docker buildx build</c> is available with this client.</summary>
    public bool HasBuildx => BuildxVersion is not null;

    /// <summary>The engine to talk to (a <c>DOCKER_HOST</c> value), or null to use the client's own default.</summary>
    public string? DockerHost { get; init; }

    /// <summary>Masks every output line before it is shown or kept for an exception (the build's own masker).</summary>
    public SecretMasker Masker { get; init; } = new();

    /// <summary>
    /// Finds the client to use: the first of <c>docker</c> on PATH, <see cref="DebianClient"/> and
    /// <c>/usr/local/bin/docker</c> whose <c>docker buildx version</c> succeeds; else <see cref="DebianClient"/>
    /// (run with <c>DOCKER_BUILDKIT=1</c>); else <c>docker</c> on PATH.
    /// </summary>
    /// <exception cref="DockerEngineUnavailableException">No docker client is installed.</exception>
    public static Task<DockerCli> LocateAsync(CancellationToken cancellationToken = default) => LocateAsync([], cancellationToken);

    /// <summary>Finds the client as <see cref="LocateAsync(CancellationToken)"/> does, its probes and later children never given <paramref name="withheld"/>.</summary>
    /// <exception cref="DockerEngineUnavailableException">No docker client is installed.</exception>
    public static Task<DockerCli> LocateAsync(IReadOnlyCollection<string> withheld, CancellationToken cancellationToken) =>
        LocateAsync(withheld, requested: null, cancellationToken);

    /// <summary>
    /// The client at <paramref name="requested"/> (<c>--docker-cli</c>) when given, checked to build with BuildKit; else
    /// the one found as <see cref="LocateAsync(CancellationToken)"/> does.
    /// </summary>
    /// <exception cref="DockerEngineUnavailableException">No client, or the requested one is missing or has no BuildKit.</exception>
    public static async Task<DockerCli> LocateAsync(IReadOnlyCollection<string> withheld, string? requested, CancellationToken cancellationToken)
    {
        if (requested is not null)
        {
            if (!File.Exists(requested))
                throw new DockerEngineUnavailableException($"--docker-cli {requested}: no such file. Give the path of a docker client, e.g. --docker-cli /usr/bin/docker.");
            if (await BuildxVersionAsync(requested, withheld, cancellationToken) is { } buildx) return new DockerCli(requested, buildx) { Withheld = withheld };
            // Without buildx only a client before 23.0 still has BuildKit built in (DOCKER_BUILDKIT=1); later ones refuse it.
            var version = await ClientVersionAsync(requested, withheld, cancellationToken);
            if (version is not { Major: < 23 })
                throw new DockerEngineUnavailableException($"--docker-cli {requested}: docker {version?.ToString() ?? "(version unknown)"} has no buildx, and a client from 23.0 on has no BuildKit without it. Install the buildx plugin for it, or pass a 20.10 client (--docker-cli /usr/bin/docker on Debian).");
            return new DockerCli(requested, null) { Withheld = withheld };
        }
        var candidates = new[] { FindOnPath("docker"), DebianClient, "/usr/local/bin/docker" }
            .OfType<string>().Where(File.Exists).Distinct().ToList();
        if (candidates.Count == 0)
            throw new DockerEngineUnavailableException(
                "No docker client found (looked on PATH, /usr/bin/docker, /usr/local/bin/docker): install one, e.g. `apt-get install docker.io`.");

        foreach (var candidate in candidates)
            if (await BuildxVersionAsync(candidate, withheld, cancellationToken) is { } buildx) return new DockerCli(candidate, buildx) { Withheld = withheld };
        // Without buildx a newer client refuses DOCKER_BUILDKIT=1, while Debian's 20.10 client has BuildKit built in.
        return new DockerCli(candidates.Contains(DebianClient) ? DebianClient : candidates[0], null) { Withheld = withheld };
    }

    // `docker buildx version`'s first line, or null when the client has no buildx.
    static async Task<string?> BuildxVersionAsync(string client, IReadOnlyCollection<string> withheld, CancellationToken cancellationToken) =>
        await AskAsync(client, ["buildx", "version"], withheld, cancellationToken) is { } output ? output.Split('\n')[0].Trim() : null;

    // The client's own version from `docker --version` ("Docker version 20.10.24+dfsg1, build 297e128"): no engine needed.
    static async Task<Version?> ClientVersionAsync(string client, IReadOnlyCollection<string> withheld, CancellationToken cancellationToken) =>
        System.Text.RegularExpressions.Regex.Match(await AskAsync(client, ["--version"], withheld, cancellationToken) ?? "", @"version (\d+\.\d+)")
            is { Success: true } match ? Version.Parse(match.Groups[1].Value) : null;

    // One question to a client before it is chosen: its standard output, or null when it exits non-zero.
    static async Task<string?> AskAsync(string client, string[] arguments, IReadOnlyCollection<string> withheld, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync(new ProcessCommand(client, arguments) { Withheld = withheld }, cancellationToken);
        return result.ExitCode == 0 ? result.StandardOutput : null;
    }

    /// <summary>
    /// Runs <c>docker</c> with these arguments, streaming each output line (stdout and stderr) to <paramref name="output"/>.
    /// </summary>
    /// <param name="step">What is being done, for the one-line failure message, e.g. <c>docker build linux/arm64</c>.</param>
    /// <param name="arguments">The arguments after <c>docker</c>.</param>
    /// <param name="output">Receives each line, already redacted.</param>
    /// <param name="cancellationToken">Kills the process when cancelled.</param>
    /// <returns>The standard output text.</returns>
    /// <exception cref="DockerCommandException">The command exited non-zero.</exception>
    public Task<string> ExecuteAsync(string step, IEnumerable<string> arguments, Action<string>? output,
        CancellationToken cancellationToken = default) =>
        ExecuteAsync(new DockerCommand(step, arguments.ToList()), output, cancellationToken);

    // One run of the client: the environment it gets, what it reads on stdin, and how long it may take.
    private sealed record DockerCommand(string Step, IReadOnlyList<string> Arguments)
    {
        public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
        public string? StandardInput { get; init; }
        public DateTimeOffset? Deadline { get; init; }
        public TimeSpan Budget { get; init; }
    }

    private async Task<string> ExecuteAsync(DockerCommand command, Action<string>? output, CancellationToken cancellationToken)
    {
        var tail = new CommandOutputTail();
        var gate = new object();
        void Line(string line, bool isStderr)
        {
            lock (gate)
            {
                tail.Add(line, isStderr);
                output?.Invoke(line);
            }
        }

        var environment = EngineEnvironment().ToDictionary(x => x.Key, x => x.Value);
        environment["DOCKER_BUILDKIT"] = "1";
        environment["BUILDKIT_PROGRESS"] = "plain";
        foreach (var (name, value) in command.Environment) environment[name] = value;
        var result = await ProcessRunner.RunAsync(new ProcessCommand(Path, command.Arguments)
        {
            Environment = environment, Withheld = Withheld, StandardInput = command.StandardInput, Masker = Masker, Output = Line,
            Timeout = command.Deadline is { } deadline ? Max(deadline - DateTimeOffset.UtcNow, TimeSpan.FromMilliseconds(1)) : null,
        }, cancellationToken);
        if (result.TimedOut)
            // The runner killed the client (and what it started, such as a credential helper) when the budget ran out.
            throw new DockerCommandException(
                $"{command.Step} timed out after {command.Budget.TotalSeconds:0} s{(tail.ErrorLine is { } last ? $" (last output: {Shorten(last)})" : "")}.",
                -1, tail.Lines) { Kind = DockerFailure.TimedOut };
        if (result.ExitCode == 0) return result.StandardOutput;

        throw new DockerCommandException(FailureLine(command.Step, result.ExitCode, tail), result.ExitCode, tail.Lines) { Kind = Classify(tail) };
    }

    /// <summary>How long one push (with its login) may take by default: long enough for a large image on a slow link.</summary>
    public static readonly TimeSpan DefaultPushTimeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Pushes one tagged image and returns the manifest digest the registry stored, reading it from the
    /// <c>&lt;tag&gt;: digest: sha256:... size: N</c> line docker prints at the end.
    /// </summary>
    /// <param name="reference">The tagged reference to push (it must exist in the local engine).</param>
    /// <param name="progress">Receives each progress line (<c>abc123: Pushed</c>, ...).</param>
    /// <param name="cancellationToken">Stops the push.</param>
    /// <exception cref="DockerCommandException">The push failed, or docker printed no digest.</exception>
    public Task<Digest> PushAsync(ImageReference reference, Action<string>? progress,
        CancellationToken cancellationToken = default) =>
        PushAsync(reference, null, DefaultPushTimeout, progress, cancellationToken);

    /// <summary>
    /// Pushes one tagged image with these credentials (or, when null, whatever the user's docker config holds) and
    /// returns the manifest digest the registry stored. With credentials, the push runs against a private
    /// <c>DOCKER_CONFIG</c> logged in with <c>docker login --password-stdin</c> and deleted afterwards.
    /// </summary>
    /// <param name="reference">The tagged reference to push (it must exist in the local engine).</param>
    /// <param name="credentials">The registry login, or null to use the user's docker config.</param>
    /// <param name="timeout">The budget for the login and the push together; the client is killed when it runs out.</param>
    /// <param name="progress">Receives each progress line (<c>abc123: Pushed</c>, ...).</param>
    /// <param name="cancellationToken">Stops the push.</param>
    /// <exception cref="DockerCommandException">The login or push failed or timed out (see <see cref="DockerCommandException.Kind"/>), or docker printed no digest.</exception>
    public async Task<Digest> PushAsync(ImageReference reference, RegistryCredentials? credentials, TimeSpan timeout,
        Action<string>? progress, CancellationToken cancellationToken = default)
    {
        var step = $"docker push {reference}";
        var output = await ExecuteLoggedInAsync(step, ["push", reference.ToString()], reference.Registry, credentials, timeout,
            budgetsCommand: true, progress, cancellationToken);
        var match = PushedDigest().Match(output);
        if (!match.Success || !Digest.TryParse(match.Groups[1].Value, out var digest))
            throw new DockerCommandException($"{step} printed no 'digest: sha256:...' line; the registry may not have stored the image.",
                0, output.Split('\n').TakeLast(CommandOutputTail.Size).Select(Masker.Mask).ToArray());
        return digest;
    }

    /// <summary>
    /// Runs one command that talks to <paramref name="registry"/> with these credentials (or, when null, the user's docker
    /// config): it runs against a private <c>DOCKER_CONFIG</c> logged in with <c>docker login --password-stdin</c>, deleted afterwards.
    /// </summary>
    /// <param name="step">The step's name for errors.</param>
    /// <param name="arguments">The arguments after <c>docker</c>.</param>
    /// <param name="registry">The registry host to log in to.</param>
    /// <param name="credentials">The login, or null for the user's docker config.</param>
    /// <param name="timeout">The budget of the login, and also of the command when <paramref name="budgetsCommand"/>.</param>
    /// <param name="budgetsCommand">Whether the command shares the budget (a push), or only the login has one (a build that pushes).</param>
    /// <param name="output">Receives each line of the command, already redacted.</param>
    /// <param name="cancellationToken">Stops the login or the command.</param>
    /// <returns>The command's standard output.</returns>
    public async Task<string> ExecuteLoggedInAsync(string step, IReadOnlyList<string> arguments, string registry, RegistryCredentials? credentials,
        TimeSpan timeout, bool budgetsCommand, Action<string>? output, CancellationToken cancellationToken = default)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        using var config = credentials is null ? null : TemporaryDockerConfig.Create(UserConfigDirectory);
        var environment = config is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["DOCKER_CONFIG"] = config.Directory };
        if (credentials is not null)
            await ExecuteAsync(new DockerCommand($"docker login {registry}", ["login", "--username", credentials.Username, "--password-stdin", registry])
            {
                Environment = environment, StandardInput = credentials.Password, Deadline = deadline, Budget = timeout,
            }, null, cancellationToken);
        return await ExecuteAsync(new DockerCommand(step, arguments)
        {
            Environment = environment, Deadline = budgetsCommand ? deadline : null, Budget = timeout,
        }, output, cancellationToken);
    }

    // Where the client reads its config when DOCKER_CONFIG is not set for it.
    private static string UserConfigDirectory => System.IO.Path.GetDirectoryName(DockerConfigCredentials.DefaultPath)!;

    /// <summary>
    /// Runs a container of <paramref name="image"/> for <paramref name="platform"/> (under QEMU when foreign),
    /// removes it afterwards, and returns what it printed on stdout. Uses the host network when the engine has no bridge.
    /// </summary>
    /// <param name="image">An image reference or ID in the local engine (or pullable).</param>
    /// <param name="platform">The platform to run, e.g. linux/arm64.</param>
    /// <param name="arguments">The command and arguments to run in the container (may be empty for its default).</param>
    /// <param name="output">Receives each output line as it comes, or null.</param>
    /// <param name="cancellationToken">Stops the container process.</param>
    /// <exception cref="DockerCommandException">The container exited non-zero.</exception>
    public async Task<string> RunAsync(string image, Platform platform, IReadOnlyList<string> arguments,
        Action<string>? output = null, CancellationToken cancellationToken = default)
    {
        List<string> args = ["run", "--rm", "--platform", platform.ToString()];
        if (!await HasBridgeNetworkAsync(cancellationToken)) args.AddRange(["--network", "host"]);
        args.Add(image);
        args.AddRange(arguments);
        return await ExecuteAsync($"docker run {image} ({platform})", args, output, cancellationToken);
    }

    /// <summary>Adds a tag to a local image.</summary>
    /// <exception cref="DockerCommandException">The source image does not exist.</exception>
    public Task TagAsync(string source, string target, CancellationToken cancellationToken = default) =>
        ExecuteAsync($"docker tag {source} {target}", ["tag", source, target], null, cancellationToken);

    /// <summary>The platform of a local image, or null when the engine does not have it.</summary>
    public async Task<Platform?> LocalImagePlatformAsync(string image, CancellationToken cancellationToken = default)
    {
        var result = await AskAsync(["image", "inspect", "--format", "{{.Os}}/{{.Architecture}}/{{.Variant}}", image], cancellationToken);
        if (result.ExitCode != 0) return null;
        var parts = result.StandardOutput.Trim().Split('/');
        return Platform.Create(parts[0], parts[1], parts.Length > 2 ? parts[2] : null);
    }

    /// <summary>
    /// True when the engine has its default <c>bridge</c> network. Engines started with <c>--bridge=none</c>
    /// (CI containers) have none, so builds and containers must use the host network there.
    /// </summary>
    public async Task<bool> HasBridgeNetworkAsync(CancellationToken cancellationToken = default)
    {
        if (_hasBridge is { } known) return known;
        var result = await AskAsync(["network", "ls", "--filter", "driver=bridge", "--format", "{{.Name}}"], cancellationToken);
        return (_hasBridge = result.StandardOutput.Split('\n').Any(name => name.Trim() == "bridge")).Value;
    }

    /// <summary>The active buildx builder (<c>docker buildx inspect</c>), or null when this client has no buildx.</summary>
    public async Task<BuildxBuilder?> InspectBuilderAsync(CancellationToken cancellationToken = default)
    {
        if (!HasBuildx) return null;
        var text = await ExecuteAsync("docker buildx inspect", ["buildx", "inspect"], null, cancellationToken);
        return BuildxBuilder.Parse(text);
    }

    /// <summary>
    /// Environment variables no docker child gets, though this process has them: the build's secrets (e.g.
    /// <c>MULTIARCH_REGISTRY_PASSWORD</c>). The client never needs them (a login reads the password on stdin), and a child's
    /// environment is readable in <c>/proc/&lt;pid&gt;/environ</c> for as long as it runs.
    /// </summary>
    public IReadOnlyCollection<string> Withheld { get; init; } = [];

    /// <summary>This client with <paramref name="names"/> withheld from its children as well.</summary>
    public DockerCli Withholding(IEnumerable<string> names) =>
        new(Path, BuildxVersion) { DockerHost = DockerHost, Masker = Masker, Withheld = Withheld.Union(names, StringComparer.Ordinal).ToList() };

    /// <summary>This client with its output masked by <paramref name="masker"/> (the build log's, so one list of secrets masks everything).</summary>
    public DockerCli MaskingWith(SecretMasker masker) => new(Path, BuildxVersion) { DockerHost = DockerHost, Masker = masker, Withheld = Withheld };

    // Every child gets the engine address (the withheld variables are removed by the runner).
    private IEnumerable<KeyValuePair<string, string?>> EngineEnvironment() =>
        DockerHost is null ? [] : [KeyValuePair.Create("DOCKER_HOST", (string?)DockerHost)];

    // A question to this client whose answer is parsed (stdout), never shown.
    private Task<ProcessResult> AskAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(new ProcessCommand(Path, arguments)
        {
            Environment = EngineEnvironment().ToDictionary(x => x.Key, x => x.Value), Withheld = Withheld, Masker = Masker,
        }, cancellationToken);

    // Docker's wording when a registry refuses a login or a push; the caller names the options that fix it.
    private static DockerFailure Classify(CommandOutputTail tail)
    {
        var text = string.Join("\n", tail.Lines.Append(tail.ErrorLine ?? ""));
        if (text.Contains("no basic auth credentials", StringComparison.OrdinalIgnoreCase)) return DockerFailure.CredentialsMissing;
        if (text.Contains("401 Unauthorized", StringComparison.OrdinalIgnoreCase) || text.Contains("unauthorized:", StringComparison.OrdinalIgnoreCase) ||
            text.Contains("incorrect username or password", StringComparison.OrdinalIgnoreCase))
            return DockerFailure.CredentialsRejected;
        if (text.Contains("denied:", StringComparison.OrdinalIgnoreCase) || text.Contains("403 Forbidden", StringComparison.OrdinalIgnoreCase))
            return DockerFailure.AccessDenied;
        return DockerFailure.Failed;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    // BuildKit's error repeats the whole RUN command; with the step title shown, its exit code is what is left to say.
    private static string FailureLine(string step, int exitCode, CommandOutputTail tail)
    {
        var error = tail.ErrorLine ?? "no output";
        if (tail.FailedStepTitle is not { } title) return $"{step} failed (exit code {exitCode}): {Shorten(error)}";
        var stepExit = StepExitCode().Match(error);
        return $"{step} failed at {Shorten(title)}: {(stepExit.Success ? stepExit.Value : Shorten(error))}";
    }

    private static string Shorten(string text) => text.Length <= 160 ? text : text[..157] + "...";

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator)
        .Where(dir => dir.Length > 0)
        .Select(dir => System.IO.Path.Combine(dir, name))
        .FirstOrDefault(File.Exists);

    [GeneratedRegex(@"exit code: \d+$")]
    private static partial Regex StepExitCode();

    [GeneratedRegex(@"digest: (sha256:[a-f0-9]{64})")]
    private static partial Regex PushedDigest();
}
