using System.Text.RegularExpressions;
using MultiArch.Oci;

namespace MultiArch.Docker;

// Registry commands: push, and any command run logged in under a private DOCKER_CONFIG.
public sealed partial class DockerCli
{
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
    /// <exception cref="DockerCommandException">The login or push failed or timed out (see
    /// <see cref="DockerCommandException.Kind"/>), or docker printed no digest.</exception>
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
    /// <param name="budgetsCommand">Whether the command shares the budget (a push), or only the login has one (a build
    /// that pushes).</param>
    /// <param name="output">Receives each line of the command, already redacted.</param>
    /// <param name="cancellationToken">Stops the login or the command.</param>
    /// <returns>The command's standard output.</returns>
    public async Task<string> ExecuteLoggedInAsync(string step, IReadOnlyList<string> arguments, string registry,
        RegistryCredentials? credentials,
        TimeSpan timeout, bool budgetsCommand, Action<string>? output, CancellationToken cancellationToken = default)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        using var config = credentials is null ? null : TemporaryDockerConfig.Create(UserConfigDirectory);
        var environment = config is null ? new Dictionary<string, string>()
            : new Dictionary<string, string> { ["DOCKER_CONFIG"] = config.Directory };
        if (credentials is not null)
            await ExecuteAsync(new DockerCommand($"docker login {registry}",
                ["login", "--username", credentials.Username, "--password-stdin", registry])
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

    [GeneratedRegex(@"digest: (sha256:[a-f0-9]{64})")]
    private static partial Regex PushedDigest();
}
