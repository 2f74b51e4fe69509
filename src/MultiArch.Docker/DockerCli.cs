using MultiArch.Processes;
using System.Text.RegularExpressions;

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
                $"{command.Step} timed out after {command.Budget.TotalSeconds:0} " +
                $"s{(tail.ErrorLine is { } last ? $" (last output: {Shorten(last)})" : "")}.",
                -1, tail.Lines) { Kind = DockerFailure.TimedOut };
        if (result.ExitCode == 0) return result.StandardOutput;

        throw new DockerCommandException(FailureLine(command.Step, result.ExitCode, tail), result.ExitCode,
            tail.Lines) { Kind = Classify(tail) };
    }

    /// <summary>
    /// Environment variables no docker child gets, though this process has them: the build's secrets (e.g.
    /// <c>MULTIARCH_REGISTRY_PASSWORD</c>). The client never needs them (a login reads the password on stdin), and a child's
    /// environment is readable in <c>/proc/&lt;pid&gt;/environ</c> for as long as it runs.
    /// </summary>
    public IReadOnlyCollection<string> Withheld { get; init; } = [];

    /// <summary>This client with <paramref name="names"/> withheld from its children as well.</summary>
    public DockerCli Withholding(IEnumerable<string> names) =>
        new(Path, BuildxVersion) { DockerHost = DockerHost, Masker = Masker,
            Withheld = Withheld.Union(names, StringComparer.Ordinal).ToList() };

    /// <summary>
    /// This client with its output masked by <paramref name="masker"/> (the build log's, so one list of
    /// secrets masks everything).
    /// </summary>
    public DockerCli MaskingWith(SecretMasker masker) =>
        new(Path, BuildxVersion) { DockerHost = DockerHost, Masker = masker, Withheld = Withheld };

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
        if (text.Contains("401 Unauthorized", StringComparison.OrdinalIgnoreCase) ||
            text.Contains("unauthorized:", StringComparison.OrdinalIgnoreCase) ||
            text.Contains("incorrect username or password", StringComparison.OrdinalIgnoreCase))
            return DockerFailure.CredentialsRejected;
        if (text.Contains("denied:", StringComparison.OrdinalIgnoreCase)
            || text.Contains("403 Forbidden", StringComparison.OrdinalIgnoreCase))
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

    [GeneratedRegex(@"exit code: \d+$")]
    private static partial Regex StepExitCode();
}
