using MultiArch.Build;
using MultiArch.Components;
using MultiArch.Oci;
using MultiArch.Testing;

namespace MultiArch.Hardening.Tests;

/// <summary>
/// A password given to a real merge never shows: not in the output, the job summary, the registry's log or any file
/// the build writes; under GitHub Actions the engine asks the runner to mask it first. The committed workflows give
/// jobs only the permissions they need and keep untrusted expressions out of <c>run:</c>.
/// </summary>
[Trait("Category", "Registry"), Collection(ReliabilityCollection.Name)]
public sealed class SecretTests
{
    [SkippableFact]
    public async Task A_registry_password_is_masked_in_actions_and_appears_nowhere_else()
    {
        ServiceRequirement.Require(Service.Registry | Service.Skopeo);
        await using var registry = await RegistryProcess.StartAsync(RegistryMode.Htpasswd);
        var password = registry.Credentials!.Password;
        using var client = registry.CreateClient();
        var image = await TestImages.PushImageAsync(client, "multiarch/hardening", Platform.LinuxAmd64, tag: "3.0.0-amd64", seed: 4);
        var root = Directory.CreateTempSubdirectory("multiarch-secret-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, ".nuke"));
            File.WriteAllText(Path.Combine(root, "Dockerfile"), "FROM scratch\n");
            var digests = Path.Combine(root, "digests");
            DigestDirectory.Write(digests, new DigestRecord(ImageReference.Parse($"{registry.Host}/multiarch/hardening"), image.Digest,
                Platform.LinuxAmd64, "3.0.0-amd64"));
            var summary = Path.Combine(root, "summary.md");
            var environment = new Dictionary<string, string>
            {
                ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "", ["HOME"] = root,
                ["GITHUB_ACTIONS"] = "true", ["GITHUB_STEP_SUMMARY"] = summary,
            };
            var output = new StringWriter();

            var exit = await Task.Run(() => TargetBuild.Execute<EchoingLoginBuild>(
                ["Login", "MergeManifest", "--skip", "--registry", registry.Host, "--version", "3.0.0", "--platform", "linux/amd64",
                 "--digests-directory", digests, "--registry-username", registry.Credentials.Username, "--registry-password", password],
                new BuildRunOptions { Output = TextWriter.Synchronized(output), Environment = environment,
                    RootDirectory = new AbsolutePath(root) }));

            var text = output.ToString();
            exit.Should().Be(0, text);
            text.Should().Contain($"::add-mask::{password}");
            // The step's echo went through the build's output: masked there, not merely never printed.
            text.Should().Contain($"docker login {registry.Host} --username {registry.Credentials.Username} --password ***");
            text.Replace($"::add-mask::{password}", "").Should().NotContain(password);
            await Skopeo.InspectRawAsync($"{registry.Host}/multiarch/hardening:3.0.0", registry.Credentials);
            registry.Log.Should().NotContain(password);
            var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).ToList();
            files.Should().Contain(summary);
            Ledger.Secrets.Enqueue(new SecretFigure("registry password under GITHUB_ACTIONS=true: output (bar ::add-mask::), registry " +
                "log, each file the build left",
                2 + files.Count, (text.Replace($"::add-mask::{password}", "").Contains(password) ? 1 : 0)
                    + (registry.Log.Contains(password) ? 1 : 0)
                + files.Count(f => File.ReadAllText(f).Contains(password))));
            foreach (var file in files) File.ReadAllText(file).Should().NotContain(password, file);
            Ledger.Notes.Enqueue("Secrets: a real merge with a registry password under GITHUB_ACTIONS=true printed `::add-mask::` once " +
                "and `***` where a step echoed it; the password appeared in none of the output, the job summary, the registry log or " +
                $"{files.Count} files the build left.");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Committed_workflows_grant_least_privilege_and_keep_untrusted_expressions_out_of_run()
    {
        var folder = Path.Combine(RepositoryRoot.Path, ".github", "workflows");
        var workflows = Directory.GetFiles(folder, "*.yml");
        workflows.Should().NotBeEmpty();
        foreach (var path in workflows)
        {
            var lines = File.ReadAllLines(path);
            lines.Should().Contain("permissions: {}", $"{path}: no permission by default, each job asks for its own");
            var text = string.Join('\n', lines);
            text.Should().NotContain("write-all").And.NotContain("contents: write").And.NotContain("id-token: write", path);
            foreach (var run in RunScripts(lines))
            {
                // Only the workflow's own matrix values may be spliced into a script; anything a pusher controls goes through env.
                var expressions = System.Text.RegularExpressions.Regex.Matches(run, @"\$\{\{\s*([^}]*?)\s*\}\}")
                    .Select(m => m.Groups[1].Value);
                expressions.Where(e => !e.StartsWith("matrix.", StringComparison.Ordinal)).Should().BeEmpty($"{path}: {run}");
            }
        }
        Ledger.Notes.Enqueue($"Workflows: {workflows.Length} committed workflows start from `permissions: {{}}`, grant no " +
            "write-all/contents: write, and splice only matrix values into `run:`.");
    }

    /// <summary>
    /// The pipeline plus a step of the merge job's own that echoes the login it ran, password and all, as chatty tools
    /// do: the password reaches the build's real output path (a tool's output relayed line by line), and only masking hides it.
    /// </summary>
    sealed class EchoingLoginBuild : TargetBuild, IMultiArchImage
    {
        public ImageDefinition Image => new("multiarch/hardening") { Dockerfile = RootDirectory / "Dockerfile",
            Platforms = [Platform.LinuxAmd64] };

        Target Login => _ => _
            .DependentFor<IMergeManifest>()
            .Executes(() =>
            {
                var pipeline = (IMultiArchPipeline)this;
                using var tool = new BuildLogWriter(Log);
                tool.WriteLine($"docker login {pipeline.Registry} --username {pipeline.RegistryUsername} --password " +
                    $"{pipeline.RegistryPassword}");
            });
    }

    // The text of every run: step, single-line or block.
    static IEnumerable<string> RunScripts(string[] lines)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].TrimStart();
            if (!trimmed.StartsWith("run:", StringComparison.Ordinal)) continue;
            var indent = lines[i].Length - trimmed.Length;
            var script = new List<string> { trimmed[4..] };
            while (i + 1 < lines.Length && (lines[i + 1].Trim().Length == 0
                || lines[i + 1].Length - lines[i + 1].TrimStart().Length > indent))
                script.Add(lines[++i]);
            yield return string.Join('\n', script);
        }
    }

}
