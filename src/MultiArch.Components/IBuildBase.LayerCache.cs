using MultiArch.Build;
using MultiArch.Docker;
using MultiArch.Oci;

namespace MultiArch.Components;

// Docker layer cache per lane: one cache per image, stage and platform (BuildCache), read and written by buildx.
public partial interface IBuildBase
{
    /// <summary>Where builds keep their layer cache; generated workflows set gha (MULTIARCH_CACHE), local runs default to none.</summary>
    [Parameter("Layer cache for image builds (needs buildx): none, gha (GitHub Actions cache, scope <image>-<platform>; generated "
        + "workflows set it) or registry (<repo>:buildcache-<platform>); default none")]
    LayerCacheMode Cache => TryGetValue(() => Cache) ?? LayerCacheMode.None;

    /// <summary>
    /// The caches one stage's build reads and writes, or none, with a line, once per run, for each reason the cache is
    /// off: the builder has no buildx, or gha runs without the Actions runtime token (buildx would fail to reach the cache).
    /// A dry run only reads a registry cache: writing it would change the target registry.
    /// </summary>
    sealed (IReadOnlyList<BuildCache> From, IReadOnlyList<BuildCache> To) LayerCaches(ImageDefinition image, Platform platform,
        bool baseStage, IImageBuilder builder)
    {
        var mode = Cache;
        if (mode.For(RepositoryOf(image), image.Name, platform, baseStage) is not { } cache) return ([], []);
        var context = PipelineContext.Of(Build);
        if (builder.NoLayerCacheReason is { } reason)
        {
            if (context.FirstTime("layer-cache-off")) Build.Log.Info($"Layer caching is off (--cache {mode}): {reason}.");
            return ([], []);
        }
        if (mode == LayerCacheMode.GitHubActions && string.IsNullOrEmpty(Build.Environment.GetValueOrDefault("ACTIONS_RUNTIME_TOKEN")))
        {
            if (context.FirstTime("layer-cache-off"))
                Build.Log.Info("Layer caching is off (--cache gha): ACTIONS_RUNTIME_TOKEN is not set, so buildx cannot "
                    + "reach the GitHub Actions cache. "
                    + "Generated workflows expose it with crazy-max/ghaction-github-runtime; elsewhere use --cache registry.");
            return ([], []);
        }
        if (mode == LayerCacheMode.GitHubActions && context.FirstTime("runtime-token-masked"))
            Build.Log.AddSecret(Build.Environment["ACTIONS_RUNTIME_TOKEN"]);
        if (DryRun && mode == LayerCacheMode.Registry)
        {
            if (context.FirstTime("layer-cache-read-only")) Build.Log.Info("Dry run: the registry layer cache is read, not written (it "
                + "lives in the target registry).");
            return ([cache], []);
        }
        return ([cache], [cache]);
    }
}
