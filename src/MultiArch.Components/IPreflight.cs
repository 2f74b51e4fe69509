using MultiArch.Build;
using MultiArch.Docker;
using MultiArch.Oci;
using MultiArch.Workflows;

namespace MultiArch.Components;

/// <summary>
/// Preflight: before the first lane builds anything, one fast pass over every input the run will need: the images
/// --image selects, --platform against what they declare, the version, each target registry (it answers /v2/, and
/// the credentials may push, or read in a dry run) and the engine with QEMU for foreign platforms. Every problem is
/// one line naming the input and the fix, printed once; the run stops before any work. Without it an unreachable
/// registry was found after every image was built, and a bad version once per lane.
/// </summary>
public interface IPreflight : ILocalServices
{
    /// <summary>The target.</summary>
    Target Preflight => _ => _
        .Description("Checks the inputs before any build: images, platforms, version, registry reachability "
            + "and credentials, engine and QEMU")
        .DependsOn<ILocalServices>(x => x.LocalServices)
        // Each CI leg runs it as a dependency of its own targets; it is no job of its own.
        .Annotate(WorkflowAnnotations.LocalOnly, "true")
        .Executes(async () =>
        {
            var problems = new List<string>();
            // The inputs first: each throws one line; they are evaluated once, here, instead of per lane later.
            Check(problems, () => SelectedImages);
            if (problems.Count == 0) Check(problems, () => RequestedPlatforms);
            Check(problems, () => Version);
            // A narrowed run that would merge stops here, before building what it could never publish.
            if (problems.Count == 0 && Build is IMergeManifest merge
                && Build.Planned.Any(t => t.Name == nameof(IMergeManifest.MergeManifest)))
                problems.AddRange(SelectedImages.Select(merge.PartialProblem).OfType<string>());
            if (problems.Count == 0)
            {
                if (PlanIncludes(PipelineAnnotations.UsesRegistry))
                    foreach (var host in SelectedImages.Select(RegistryHost).Distinct())
                        await CheckAsync(problems, () => CheckRegistryAsync(host));
                if (PlanIncludes(PipelineAnnotations.BuildsImages))
                {
                    // Only the platforms of lanes that build (planned now, all at once, when the registries answered): an
                    // unchanged lane needs no engine, and a run where every lane is unchanged probes none.
                    var platforms = problems.Count == 0 && Build is IBuildBase lanes
                        ? await lanes.PlatformsToBuildAsync() : SelectedImages.SelectMany(PlatformsOf).Distinct().ToList();
                    if (platforms.Count > 0) await CheckAsync(problems, () => PipelineContext.Of(Build).DockerAsync(platforms,
                        Build.Cancellation));
                    else Build.Log.Info("Docker engine not needed: every lane is unchanged since its per-arch tag");
                }
            }
            if (problems.Count == 1) throw new BuildException(problems[0]);
            if (problems.Count > 1)
                throw new BuildException($"{problems.Count} input problems, so nothing was built:\n  " + string.Join("\n  ", problems));
            var checkedImages = SelectedImages.Select(i =>
                $"{RepositoryOf(i)} ({PlatformsOf(i).Count} of {DeclaredPlatforms(i).Count} platforms)");
            Build.Log.Info($"Inputs checked: {string.Join(", ", checkedImages)}, version {Version}");
        });

    /// <summary>
    /// The registry answers <c>/v2/</c> and the credentials are accepted: with push scope (an upload session opened and
    /// cancelled, nothing written), or in a dry run with read scope only (the tags of each image's repository).
    /// </summary>
    sealed async Task CheckRegistryAsync(string host)
    {
        // The loopback default is started on demand by PushArch; nothing to check before it exists.
        if (host == LocalRegistry.DefaultHost && !await LocalRegistry.AnswersAsync(host, Build.Cancellation)) return;
        var client = RegistryClientFor(host);
        var given = Registry is not null ? "--registry" : "the image's repository";
        try
        {
            await client.PingAsync(Build.Cancellation);
            foreach (var image in SelectedImages.Where(i => RegistryHost(i) == host))
            {
                var repository = RepositoryOf(image).Repository;
                if (DryRun) await client.ListTagsAsync(repository, cancellationToken: Build.Cancellation);
                else await client.CheckPushAccessAsync(repository, Build.Cancellation);
            }
        }
        catch (Exception e) when (e is OciRegistryException or HttpRequestException && !Build.Cancellation.IsCancellationRequested)
        {
            var fix = e is OciRegistryException
                { StatusCode: System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden }
                ? "pass --registry-username and a password or token with push access (MULTIARCH_REGISTRY_PASSWORD or "
                    + "--registry-password-file), or log in with docker login"
                : $"check {given} ({host}) and that the registry is running";
            throw new BuildException($"Registry {host} (from {given}): {e.Message.TrimEnd('.')}. Fix: {fix}.");
        }
    }

    private bool PlanIncludes(string annotation) => Build.Planned.Any(t => t.Annotations.ContainsKey(annotation));

    private static void Check(List<string> problems, Func<object?> read)
    {
        try { read(); }
        catch (Exception e) when (e is BuildException or OciInputException or DockerInputException) { problems.Add(e.Message); }
    }

    private static async Task CheckAsync(List<string> problems, Func<Task> check)
    {
        try { await check(); }
        catch (Exception e) when (e is BuildException or OciInputException or OciRegistryException or DockerInputException
                                      or DockerEngineUnavailableException or HttpRequestException)
        {
            problems.Add(e.Message.Split('\n')[0]);
        }
    }
}
