using System.Text.Json;
using System.Text.Json.Nodes;

namespace MultiArch.Docker;

/// <summary>
/// A private <c>DOCKER_CONFIG</c> folder for one push with explicit credentials: created 0700, filled by
/// <c>docker login --password-stdin</c> (the password never on a command line), deleted on dispose.
/// </summary>
/// <remarks>
/// It starts from the user's <c>config.json</c> without <c>auths</c>, <c>credsStore</c> and <c>credHelpers</c>:
/// with a store or helper configured, <c>docker login</c> would write the password into the user's keychain, where
/// it would outlive the run, and a hanging helper could not block this push. The other settings stay
/// (<c>currentContext</c>, with the user's <c>contexts</c> folder linked, picks the same engine; <c>HttpHeaders</c>,
/// <c>proxies</c>), so the push behaves as the user's own would, only with these credentials.
/// <c>--password-stdin</c> keeps the password out of the command line and shell history, and a login is stored
/// in the configured store or else in <c>config.json</c>: https://docs.docker.com/reference/cli/docker/login/
/// </remarks>
internal sealed class TemporaryDockerConfig : IDisposable
{
    private TemporaryDockerConfig(string directory) => Directory = directory;

    /// <summary>The folder to pass as <c>DOCKER_CONFIG</c>.</summary>
    public string Directory { get; }

    /// <summary>Creates the folder from the user's config folder (<c>$DOCKER_CONFIG</c>, else <c>~/.docker</c>).</summary>
    /// <param name="userConfigDirectory">The user's config folder; it may not exist.</param>
    public static TemporaryDockerConfig Create(string userConfigDirectory)
    {
        // CreateTempSubdirectory makes the folder 0700 on Unix: no other user can read the login written into it.
        var directory = System.IO.Directory.CreateTempSubdirectory("multiarch-docker-config-").FullName;
        var config = new TemporaryDockerConfig(directory);
        try
        {
            File.WriteAllText(Path.Combine(directory, "config.json"), WithoutCredentials(Path.Combine(userConfigDirectory, "config.json")));
            // contexts picks the same engine; buildx (the builder instances) and cli-plugins (a user-installed
            // docker-buildx) let a buildx build that pushes with these credentials use the user's active builder.
            foreach (var name in new[] { "contexts", "buildx", "cli-plugins" })
            {
                var linked = Path.Combine(userConfigDirectory, name);
                if (System.IO.Directory.Exists(linked)) System.IO.Directory.CreateSymbolicLink(Path.Combine(directory, name), linked);
            }
            return config;
        }
        catch
        {
            config.Dispose();
            throw;
        }
    }

    // The user's settings minus every credential source; an unreadable or missing file gives an empty config.
    private static string WithoutCredentials(string userConfig)
    {
        JsonObject settings;
        try
        {
            settings = File.Exists(userConfig) ? JsonNode.Parse(File.ReadAllText(userConfig)) as JsonObject ?? new JsonObject()
                : new JsonObject();
        }
        catch (JsonException) { settings = new JsonObject(); }
        foreach (var key in new[] { "auths", "credsStore", "credHelpers" }) settings.Remove(key);
        return settings.ToJsonString();
    }

    /// <summary>Deletes the folder and the login in it (the contexts link is removed, not followed).</summary>
    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }
}
