using MultiArch.Processes;

namespace MultiArch.Docker;

// Choosing the client: --docker-cli, PATH, Debian's and /usr/local/bin's, by whether each builds with BuildKit.
public sealed partial class DockerCli
{
    /// <summary>
    /// Finds the client to use: the first of <c>docker</c> on PATH, <see cref="DebianClient"/> and
    /// <c>/usr/local/bin/docker</c> whose <c>docker buildx version</c> succeeds; else <see cref="DebianClient"/>
    /// (run with <c>DOCKER_BUILDKIT=1</c>); else <c>docker</c> on PATH.
    /// </summary>
    /// <exception cref="DockerEngineUnavailableException">No docker client is installed.</exception>
    public static Task<DockerCli> LocateAsync(CancellationToken cancellationToken = default) => LocateAsync([], cancellationToken);

    /// <summary>
    /// Finds the client as <see cref="LocateAsync(CancellationToken)"/> does, its probes and later children
    /// never given <paramref name="withheld"/>.
    /// </summary>
    /// <exception cref="DockerEngineUnavailableException">No docker client is installed.</exception>
    public static Task<DockerCli> LocateAsync(IReadOnlyCollection<string> withheld, CancellationToken cancellationToken) =>
        LocateAsync(withheld, requested: null, cancellationToken);

    /// <summary>
    /// The client at <paramref name="requested"/> (<c>--docker-cli</c>) when given, checked to build with BuildKit; else
    /// the one found as <see cref="LocateAsync(CancellationToken)"/> does.
    /// </summary>
    /// <exception cref="DockerEngineUnavailableException">No client, or the requested one is missing or has no BuildKit.</exception>
    public static async Task<DockerCli> LocateAsync(IReadOnlyCollection<string> withheld, string? requested,
        CancellationToken cancellationToken)
    {
        if (requested is not null)
        {
            if (!File.Exists(requested))
                throw new DockerEngineUnavailableException($"--docker-cli {requested}: no such file. " +
                    "Give the path of a docker client, e.g. --docker-cli /usr/bin/docker.");
            if (await BuildxVersionAsync(requested, withheld, cancellationToken) is { } buildx)
                return new DockerCli(requested, buildx) { Withheld = withheld };
            // Without buildx only a client before 23.0 still has BuildKit built in (DOCKER_BUILDKIT=1); later ones refuse it.
            var version = await ClientVersionAsync(requested, withheld, cancellationToken);
            if (version is not { Major: < 23 })
                throw new DockerEngineUnavailableException($"--docker-cli {requested}: " +
                    $"docker {version?.ToString() ?? "(version unknown)"} has no buildx, " +
                    "and a client from 23.0 on has no BuildKit without it. Install the buildx plugin for it, " +
                    "or pass a 20.10 client (--docker-cli /usr/bin/docker on Debian).");
            return new DockerCli(requested, null) { Withheld = withheld };
        }
        var candidates = new[] { FindOnPath("docker"), DebianClient, "/usr/local/bin/docker" }
            .OfType<string>().Where(File.Exists).Distinct().ToList();
        if (candidates.Count == 0)
            throw new DockerEngineUnavailableException(
                "No docker client found (looked on PATH, /usr/bin/docker, /usr/local/bin/docker): install one, e.g. " +
                "`apt-get install docker.io`.");

        foreach (var candidate in candidates)
            if (await BuildxVersionAsync(candidate, withheld, cancellationToken) is { } buildx)
                return new DockerCli(candidate, buildx) { Withheld = withheld };
        // Without buildx a newer client refuses DOCKER_BUILDKIT=1, while Debian's 20.10 client has BuildKit built in.
        return new DockerCli(candidates.Contains(DebianClient) ? DebianClient : candidates[0], null) { Withheld = withheld };
    }

    // `docker buildx version`'s first line, or null when the client has no buildx.
    static async Task<string?> BuildxVersionAsync(string client, IReadOnlyCollection<string> withheld,
        CancellationToken cancellationToken) =>
        await AskAsync(client, ["buildx", "version"], withheld, cancellationToken) is { } output ? output.Split('\n')[0].Trim() : null;

    // The client's own version from `docker --version` ("Docker version 20.10.24+dfsg1, build 297e128"): no engine needed.
    static async Task<Version?> ClientVersionAsync(string client, IReadOnlyCollection<string> withheld,
        CancellationToken cancellationToken) =>
        System.Text.RegularExpressions.Regex.Match(await AskAsync(client, ["--version"], withheld, cancellationToken)
            ?? "", @"version (\d+\.\d+)")
            is { Success: true } match ? Version.Parse(match.Groups[1].Value) : null;

    // One question to a client before it is chosen: its standard output, or null when it exits non-zero.
    static async Task<string?> AskAsync(string client, string[] arguments, IReadOnlyCollection<string> withheld,
        CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync(new ProcessCommand(client, arguments) { Withheld = withheld }, cancellationToken);
        return result.ExitCode == 0 ? result.StandardOutput : null;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator)
        .Where(dir => dir.Length > 0)
        .Select(dir => System.IO.Path.Combine(dir, name))
        .FirstOrDefault(File.Exists);
}
