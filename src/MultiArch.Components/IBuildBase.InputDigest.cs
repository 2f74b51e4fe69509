using System.Reflection;
using MultiArch.Build;
using MultiArch.Docker;
using MultiArch.Oci;

namespace MultiArch.Components;

// Skip what did not change: each per-arch image carries its input digest (InputDigest.Label); before a lane builds,
// the per-arch tag's current image is read from the target registry, and an equal digest skips the lane.
public partial interface IBuildBase
{
    /// <summary>Build every lane even when the registry already holds an image of the same inputs.</summary>
    [Parameter("Build every image even when its per-arch tag already holds one made from the same inputs (Dockerfile, context, build "
        + "arguments, base image digests, platform, MultiArch version)")]
    bool Rebuild => TryGetValue<bool?>(() => Rebuild) ?? false;

    /// <summary>The lane's plan, computed once per run (the first of its targets to run asks, the others reuse it).</summary>
    sealed Task<LanePlan> PlanLaneAsync(ImageDefinition image, Platform platform) =>
        PipelineContext.Of(Build).PlanOnceAsync(image.Name, platform, () => ComputeLanePlanAsync(image, platform, Build.Log.Info));

    /// <summary>
    /// The platforms whose engine this run needs: those of every lane that builds. All lanes are planned at once (each
    /// plan is registry reads), so a run where every lane is unchanged never probes the engine or QEMU. A lane whose
    /// plan fails counts as building: its own target reports the failure, as it did before plans were made up front.
    /// </summary>
    sealed async Task<IReadOnlyList<Platform>> PlatformsToBuildAsync()
    {
        var lanes = SelectedImages.SelectMany(image => PlatformsOf(image).Select(platform => (image, platform))).ToList();
        var builds = await Task.WhenAll(lanes.Select(async lane =>
        {
            try { return (await PlanLaneAsync(lane.image, lane.platform)).Unchanged is null; }
            catch (Exception) when (!Build.Cancellation.IsCancellationRequested) { return true; }
        }));
        return lanes.Where((_, i) => builds[i]).Select(l => l.platform).Distinct().ToList();
    }

    /// <summary>
    /// Before LocalServices provisions anything: plans the lanes whose per-arch tag provably holds an image of this
    /// build's inputs (every input resolved, and the digest matched), so the engine and QEMU are not set up for them.
    /// Any other outcome is dropped, with its log lines, and planned again after provisioning: the loopback registry
    /// or a base image LocalServices provides may not be there yet, and a plan made without them must not stick.
    /// </summary>
    sealed async Task PlanUnchangedLanesAsync()
    {
        if (Rebuild) return;
        IReadOnlyList<(ImageDefinition Image, Platform Platform)> lanes;
        try { lanes = SelectedImages.SelectMany(image => PlatformsOf(image).Select(platform => (image, platform))).ToList(); }
        catch (BuildException) { return; } // Preflight reports bad input, in one line
        var context = PipelineContext.Of(Build);
        await Task.WhenAll(lanes.Select(async lane =>
        {
            var lines = new List<string>();
            LanePlan plan;
            try
            {
                // The loopback default is LocalServices' to start (or install); nothing is started here.
                if (RegistryHost(lane.Image) == LocalRegistry.DefaultHost && !await LocalRegistry.AnswersAsync(LocalRegistry.DefaultHost,
                    Build.Cancellation)) return;
                plan = await ComputeLanePlanAsync(lane.Image, lane.Platform, line => { lock (lines) lines.Add(line); });
            }
            catch (Exception) when (!Build.Cancellation.IsCancellationRequested) { return; }
            if (plan.Unchanged is null) return;
            foreach (var line in lines) Build.Log.Info(line);
            context.Offer(lane.Image.Name, lane.Platform, plan);
        }));
    }

    /// <summary>
    /// The base stage's settings hook: override it to add a build argument or label, e.g.
    /// <c>Configure&lt;DockerBuildSettings&gt; IBuildBase.BuildBaseSettings =&gt; s =&gt; s.BuildArg("GO_VERSION", "1.22");</c>.
    /// It runs last, so it sees (and may change) everything the component set, and the input digest covers it.
    /// </summary>
    Configure<DockerBuildSettings> BuildBaseSettings => s => s;

    /// <summary>The app stage's hook, which IBuildApp routes to its <c>BuildAppSettings</c>; the lane's plan makes both stages'
    /// settings.</summary>
    internal Configure<DockerBuildSettings> AppStageSettings => s => s;

    /// <summary>The base stage's settings (labelled with the source in <paramref name="git"/>), after <see
    /// cref="BuildBaseSettings"/>.</summary>
    sealed DockerBuildSettings BaseSettings(ImageDefinition image, Platform platform, GitInfo git)
    {
        var settings = new DockerBuildSettings { Image = image, Platform = platform };
        foreach (var (name, value) in image.BaseBuildArgs) settings.BuildArg(name, value);
        foreach (var (name, value) in OciLabels.ForBase(git)) settings.Label(name, value);
        return BuildBaseSettings(settings);
    }

    /// <summary>The app stage's settings, FROM <paramref name="baseTag"/> when there is one, after IBuildApp's
    /// <c>BuildAppSettings</c>.</summary>
    sealed DockerBuildSettings AppSettings(ImageDefinition image, Platform platform, string? baseTag)
    {
        var settings = new DockerBuildSettings { Image = image, Platform = platform };
        foreach (var (name, value) in image.BuildArgs) settings.BuildArg(name, value);
        if (baseTag is not null) settings.BuildArg(image.BaseTagArgument, baseTag);
        foreach (var (name, value) in OciLabels.ForImage(image, Version, PipelineContext.Of(Build).Git(Build))) settings.Label(name, value);
        foreach (var (name, value) in image.Labels) settings.Label(name, value);
        return AppStageSettings(settings);
    }

    private async Task<LanePlan> ComputeLanePlanAsync(ImageDefinition image, Platform platform, Action<string> log)
    {
        if (image.Dockerfile is null)
            throw new BuildException($"Image '{image.Name}' has no Dockerfile. Set Dockerfile = RootDirectory / \"path\" / \"Dockerfile\" "
                + "in its ImageDefinition.");
        var baseTag = image.BaseDockerfile is null ? null : BaseTag(image, platform);
        var baseSettings = image.BaseDockerfile is null ? null : BaseSettings(image, platform, PipelineContext.Of(Build).Git(Build));
        var app = AppSettings(image, platform, baseTag);
        Digest input;
        var baseImages = new List<(ImageReference Reference, Digest Digest)>();
        try
        {
            Digest? baseInput = baseSettings is null ? null : await StageInputDigestAsync(image.BaseDockerfile!, baseSettings,
                null, baseImages);
            // The locally built base has a per-run tag: its own input digest stands in for that tag and its digest.
            input = await StageInputDigestAsync(image.Dockerfile, app, baseTag is null ? null : (baseTag, baseInput!), baseImages);
        }
        catch (Exception e) when (e is OciRegistryException or OciInputException or HttpRequestException or IOException)
        {
            // Never a reason to fail: the lane builds as it always did, and says why it could not be skipped.
            log($"{image.Name} {platform}: building (no input digest: {e.Message.Split('\n')[0]})");
            return new LanePlan(baseSettings, app, null, null);
        }
        app.Label(InputDigest.Label, input.ToString());
        var resolved = baseImages.Distinct().ToList();
        if (Rebuild) return new LanePlan(baseSettings, app, input, null) { BaseImages = resolved };

        // Read only, also in a dry run: the target registry is asked what its per-arch tag holds, and nothing is written.
        await EnsureRegistryAsync(image);
        var target = ArchReference(image, platform);
        var existing = await ExistingInputDigestAsync(target);
        if (existing.Digest == input.ToString())
        {
            log($"{image.Name} {platform}: {target} already holds an image of input digest {input}: not building it "
                + "again (--rebuild builds anyway)");
            return new LanePlan(baseSettings, app, input, existing.Manifest) { BaseImages = resolved };
        }
        log($"{image.Name} {platform}: building ({existing.Why}; input digest {input})");
        return new LanePlan(baseSettings, app, input, null) { BaseImages = resolved };
    }

    /// <summary>
    /// One stage's input digest: its Dockerfile, the context files Docker would send, build arguments, descriptive
    /// labels, target stage, every external image resolved to its digest for the platform, the platform, the tool.
    /// </summary>
    /// <param name="dockerfile">The stage's Dockerfile.</param>
    /// <param name="settings">The stage's settings.</param>
    /// <param name="localBase">The locally built base stage this one starts FROM, or null.</param>
    /// <param name="resolved">Receives every external image with its resolved digest (the provenance's base images).</param>
    private async Task<Digest> StageInputDigestAsync(AbsolutePath dockerfile, DockerBuildSettings settings,
        (string Tag, Digest Input)? localBase, List<(ImageReference Reference, Digest Digest)> resolved)
    {
        var context = settings.Image.EffectiveContext;
        var bytes = await File.ReadAllBytesAsync(dockerfile, Build.Cancellation);
        var files = BuildContextFiles.List(context, BuildContextFiles.IgnoreRules(context, dockerfile));
        var images = new List<(string, string)>();
        foreach (var reference in DockerfileImages.Read(System.Text.Encoding.UTF8.GetString(bytes), settings.BuildArgs))
        {
            if (localBase is { } local && reference == local.Tag) { images.Add(("(base stage)", "input:" + local.Input)); continue; }
            var digest = await ResolveImageAsync(reference, settings.Platform, RegistryHost(settings.Image));
            images.Add((reference, digest.ToString()));
            resolved.Add((ImageReference.Parse(reference), digest));
        }
        var args = new Dictionary<string, string>(settings.BuildArgs, StringComparer.Ordinal);
        if (localBase is not null) args[settings.Image.BaseTagArgument] = "(base stage)";
        // The revision and commit time name the commit, not the build: a new commit with the same inputs is the same image.
        var labels = settings.Labels.Where(l => l.Key is not (Annotations.Revision or Annotations.Created or InputDigest.Label))
            .ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
        return InputDigest.Compute(new StageInputs
        {
            Dockerfile = bytes,
            Context = files,
            BuildArgs = args,
            Labels = labels,
            TargetStage = settings.TargetStage,
            Images = images,
            Platform = settings.Platform,
            ToolVersion = ToolVersion,
        });
    }

    /// <summary>The digest of <paramref name="reference"/> for <paramref name="platform"/>: an index's child for it, else the manifest
    /// itself.</summary>
    private async Task<Digest> ResolveImageAsync(string reference, Platform platform, string target)
    {
        var parsed = ImageReference.Parse(reference);
        if (parsed.Digest is { } pinned) return pinned;
        // The target's credentials go only to the target's host; any other host gets what ~/.docker/config.json holds.
        var client = parsed.Registry == target ? RegistryClientFor(target) : PipelineContext.Of(Build).Registry(parsed.Registry, () =>
            new RegistryClientOptions
        {
            Credentials = RegistryCredentials.Resolve(parsed.Registry, null, null),
            InsecureRegistries = InsecureRegistries,
        });
        // Once per run for each reference: the lanes (and stages) that start FROM the same image share the answer,
        // and see the same digest. A failure is not kept, so a later lane (or the plan after LocalServices) asks again.
        var resolved = PipelineContext.Of(Build).ResolvedImages;
        var lookup = resolved.GetOrAdd(reference,
            _ => client.GetManifestAsync(parsed.Repository, parsed.Tag ?? "latest", Build.Cancellation));
        ManifestDocument manifest;
        try { manifest = await lookup; }
        catch { resolved.TryRemove(KeyValuePair.Create(reference, lookup)); throw; }
        if (!manifest.IsIndex) return manifest.Digest;
        return manifest.AsIndex().Manifests.FirstOrDefault(m => m.Platform == platform)?.Digest ?? manifest.Digest;
    }

    /// <summary>The input digest label of the image under <paramref name="target"/> now, with why it cannot be skipped when it
    /// differs.</summary>
    private async Task<(string? Digest, ManifestDocument? Manifest, string Why)> ExistingInputDigestAsync(ImageReference target)
    {
        // Bounded like the push: a registry or credential helper that stops answering must not hold the lane before
        // it has built anything. The lane is then built, and the push reports the hang under its own budget.
        var budget = this is IPushArch push ? TimeSpan.FromSeconds(push.PushTimeoutSeconds) : DockerCli.DefaultPushTimeout;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Build.Cancellation);
        timeout.CancelAfter(budget);
        try { return await Task.Run(() => ReadInputDigestAsync(target, budget, timeout.Token), timeout.Token).WaitAsync(timeout.Token); }
        catch (OperationCanceledException) when (!Build.Cancellation.IsCancellationRequested)
        {
            return (null, null, $"could not read {target} within {budget.TotalSeconds:0} s");
        }
        catch (OciInputException e) // e.g. a credential helper that does not answer
        {
            return (null, null, $"could not read {target}: {e.Message.Split('\n')[0]}");
        }
    }

    private async Task<(string? Digest, ManifestDocument? Manifest, string Why)> ReadInputDigestAsync(ImageReference target,
        TimeSpan budget, CancellationToken cancellationToken)
    {
        // Its own client, so a credential helper asked here gets the same budget (the shared client's gets 30 s).
        using var own = target.Registry == PipelineContext.Of(Build).ScratchHost ? null
            : new RegistryClient(target.Registry, new RegistryClientOptions
        {
            Credentials = RegistryCredentials.Resolve(target.Registry, RegistryUsername, RegistryPassword, helperTimeout: budget),
            InsecureRegistries = InsecureRegistries,
        });
        var client = own ?? RegistryClientFor(target.Registry);
        try
        {
            // One GET, no HEAD first: a missing tag answers 404 to it just the same.
            ManifestDocument manifest;
            try { manifest = await client.GetManifestAsync(target.Repository, target.Tag!, cancellationToken); }
            catch (OciRegistryException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
            { return (null, null, $"{target.Tag} is not in {target.Name} yet"); }
            if (manifest.IsIndex) return (null, null, $"{target.Tag} is an index, not one platform's image");
            var config = await client.GetBlobAsync(target.Repository, manifest.AsImage().Config.Digest, cancellationToken);
            var labels = ImageConfig.ReadLabels(config);
            return labels.TryGetValue(InputDigest.Label, out var found)
                ? (found, manifest, $"{target.Tag} was built from other inputs ({found})")
                : (null, null, $"{target.Tag} has no {InputDigest.Label} label");
        }
        catch (Exception e) when (e is OciRegistryException or HttpRequestException or System.Text.Json.JsonException)
        {
            return (null, null, $"could not read {target}: {e.Message.Split('\n')[0]}");
        }
    }

    /// <summary>This MultiArch's version without build metadata (a "+commit" suffix would change on every commit of the tool's own
    /// repository).</summary>
    static string ToolVersion =>
        (typeof(IBuildBase).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(IBuildBase).Assembly.GetName().Version?.ToString() ?? "unknown").Split('+')[0];
}
