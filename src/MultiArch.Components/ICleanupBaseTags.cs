using System.Globalization;
using System.Text.RegularExpressions;
using MultiArch.Build;
using MultiArch.Docker;
using MultiArch.Oci;
using MultiArch.Workflows;

namespace MultiArch.Components;

/// <summary>
/// CleanupBaseTags: every run tags its base stage <c>&lt;repository&gt;-base:&lt;version&gt;-&lt;arch&gt;-&lt;revision&gt;-&lt;run&gt;</c>
/// (unique, so parallel runs never collide); without this those tags pile up in the local engine, one per run and
/// platform. A component of its own, not part of IBuildBase: BuildApp depends on every IBuildBase target.
/// </summary>
public interface ICleanupBaseTags : IBuildApp
{
    /// <summary>How many base tags per image and platform the cleanup leaves in the local engine, this run's first.</summary>
    [Parameter("Base-stage tags to keep per image and platform in the local engine after a run, this run's first (0: remove them all)")]
    int KeepBaseTags => TryGetValue<int?>(() => KeepBaseTags) ?? 2;

    /// <summary>The target.</summary>
    Target CleanupBaseTags => _ => _
        .Description("Removes base-stage tags from the local engine, keeping the newest --keep-base-tags per image and "
            + "platform (runs even after a failure)")
        .TriggeredBy<IBuildBase>(x => x.BuildBase)
        .After<IBuildApp>()
        .PartitionedBy(ImageAxis, PlatformAxis)
        .AssuredAfterFailure()
        // Each leg runs it after its own build; a hosted runner's engine is thrown away anyway, so it is no step of its own.
        .Annotate(WorkflowAnnotations.LocalOnly, "true")
        .Executes(async partition =>
        {
            var (image, platform) = Resolve(partition);
            if (image.BaseDockerfile is null) throw new TargetSkippedException($"image '{image.Name}' has no BaseDockerfile");
            // An unchanged lane built no base tag and needs no engine: cleaning is left to the next run that builds.
            if (PipelineContext.Of(Build).KnownUnchanged(image.Name, platform))
                throw new TargetSkippedException("the lane is unchanged: no base tag was made, so nothing to clean");
            if (KeepBaseTags < 0) throw new BuildException($"--keep-base-tags {KeepBaseTags}: give 0 or more (0 removes every base tag).");
            var own = BaseTag(image, platform);
            var repository = own[..own.LastIndexOf(':')];
            DockerCli cli;
            // The engine is the one BuildBase used; when it could not even be reached there is nothing to clean.
            try { cli = (await PipelineContext.Of(Build).DockerAsync([], Build.Cancellation)).Status.Cli!; }
            catch (DockerEngineUnavailableException e)
            {
                Build.Log.Warn($"{repository} {platform}: base tags not cleaned ({e.Message.Split('\n')[0]}).");
                return;
            }
            var listed = await cli.ExecuteAsync($"docker image ls {repository}",
                ["image", "ls", repository, "--format", "{{.Tag}}\t{{.CreatedAt}}"], null, Build.Cancellation);
            var tags = NewestBaseTagsFirst(own[(repository.Length + 1)..], platform, listed);
            var removed = 0;
            foreach (var tag in tags.Skip(KeepBaseTags))
            {
                try
                {
                    await cli.ExecuteAsync($"docker image rm {repository}:{tag}", ["image", "rm", $"{repository}:{tag}"], null,
                        Build.Cancellation);
                    removed++;
                }
                // A stopped container still using it, say: keep going, the next run tries again.
                catch (DockerCommandException e) { Build.Log.Warn($"{repository}:{tag} kept: {e.Message.Split('\n')[0]}"); }
            }
            Build.Log.Info($"{repository} {platform}: removed {removed} base tag(s), kept {tags.Count - removed} "
                + $"(--keep-base-tags {KeepBaseTags}).");
        });

    /// <summary>
    /// The base tags of <paramref name="platform"/> in <paramref name="listing"/> (<c>docker image ls</c> lines of
    /// tag, tab, CreatedAt), newest first: this run's tag <paramref name="own"/>, then the others by image creation
    /// time (a cached rebuild keeps its old time), then by tag.
    /// </summary>
    static IReadOnlyList<string> NewestBaseTagsFirst(string own, Platform platform, string listing)
    {
        // <version>-<pair>-<revision or norev>-<run>; a tag cut for length (over 128 characters) is never matched.
        var ofPlatform = new Regex($"-{Regex.Escape(platform.Pair)}-(?:[0-9a-f]{{7}}|norev)-[^-]+$");
        return listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t'))
            .Where(f => f.Length == 2 && ofPlatform.IsMatch(f[0]))
            .OrderByDescending(f => f[0] == own)
            .ThenByDescending(f => CreatedAt(f[1]))
            .ThenByDescending(f => f[0], StringComparer.Ordinal)
            .Select(f => f[0]).ToList();
    }

    // docker's CreatedAt: "2026-12-03 11:00:00 +0000 UTC".
    static DateTimeOffset CreatedAt(string text)
    {
        var parts = text.Split(' ');
        return parts.Length >= 3 && parts[2].Length == 5
            && DateTimeOffset.TryParseExact($"{parts[0]} {parts[1]} {parts[2].Insert(3, ":")}", "yyyy-MM-dd HH:mm:ss zzz",
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : DateTimeOffset.MinValue;
    }
}
