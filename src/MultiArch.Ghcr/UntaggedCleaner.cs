using SecretMasker = MultiArch.Processes.SecretMasker;
using System.Collections.Concurrent;
using System.Diagnostics;
using MultiArch.Oci;

namespace MultiArch.Ghcr;

/// <summary>
/// Deletes untagged GHCR package versions without ever breaking a multi-arch image. On GHCR only the index carries
/// the tag; its per-arch and attestation manifests are untagged versions, so "untagged" alone is not "unused".
/// Safety rule: a version is deleted only when it is untagged, older than the grace period, not reachable from any
/// tagged manifest (index children, nested indexes), not a referrer of a protected manifest, and every tagged
/// manifest could be read. If one tagged manifest cannot be read, nothing is deleted.
/// </summary>
public static class UntaggedCleaner
{
    /// <summary>Lists, protects, and deletes (unless a dry run) the untagged versions of one package.</summary>
    /// <exception cref="GhcrCleanupException">Bad input, missing permission, or a REST failure retries did not cure.</exception>
    /// <exception cref="OciInputException">The image name is not a valid reference.</exception>
    public static async Task<CleanupReport> RunAsync(CleanupRequest request, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        var image = ImageReference.Parse(request.Image).WithoutTagOrDigest();
        if (request.GitHubApiAddress is null && image.Registry != CleanupRequest.GhcrHost)
            return Finish(request, new CleanupReport
            {
                Outcome = CleanupOutcome.NothingToDo,
                Image = image.Name,
                Reason = $"{image.Registry} has no API that lists untagged manifests; " +
                    $"CleanupUntagged only cleans {CleanupRequest.GhcrHost} packages, so there is nothing to do.",
            }, stopwatch);
        Validate(request, image);

        var redactor = new SecretMasker([request.GitHubToken]);
        var slash = image.Repository.IndexOf('/');
        var (owner, package) = (image.Repository[..slash], image.Repository[(slash + 1)..]);
        var api = new PackageVersionsApi(request, owner, package, redactor);
        using var client = new RegistryClient(image.Registry, new RegistryClientOptions
        {
            Credentials = request.RegistryUserName is null ? null : new RegistryCredentials(request.RegistryUserName, request.GitHubToken),
            InnerHandler = request.RegistryTransport,
        });
        var registry = new RegistryManifests(client, image.Repository, request.RegistryConcurrency, redactor);

        var versions = await api.ListAsync(cancellationToken);
        await request.Log.WriteLineAsync($"{image.Name}: {versions.Count} versions listed in {api.ListRequests} requests.");
        foreach (var warning in api.Warnings) await request.Log.WriteLineAsync("warning: " + redactor.Mask(warning));
        var plan = await PlanAsync(request, image, versions, registry, cancellationToken);

        CleanupReport Report(CleanupOutcome outcome, IReadOnlyList<DeletedVersion> deleted, IReadOnlyList<string> warnings,
            string? reason) => new()
        {
            Outcome = outcome,
            Image = image.Name,
            Reason = reason,
            Versions = versions.Count,
            KeptTagged = plan.KeptTagged,
            ProtectedChildren = plan.ProtectedChildren,
            SkippedByGracePeriod = plan.Fresh,
            KeptNewest = plan.KeptNewest,
            SkippedUnreadable = plan.Unreadable,
            Deleted = deleted,
            Warnings = [.. api.Warnings, .. plan.Warnings, .. warnings],
            ListRequests = api.ListRequests,
            ManifestRequests = registry.Requests,
            DeleteRequests = api.DeleteRequests,
            RateLimitRetries = api.Retries,
        };

        if (plan.RefusedBecause is { } refusal)
            return Finish(request, Report(CleanupOutcome.FailedClosed, [], [], refusal), stopwatch);
        if (request.DryRun)
        {
            foreach (var version in plan.ToDelete) await request.Log.WriteLineAsync($"would delete {version.Id} {version.Digest}");
            return Finish(request, Report(CleanupOutcome.DryRun, plan.ToDelete.Select(ToDeleted).ToList(), [], null), stopwatch);
        }

        var deleted = new ConcurrentBag<DeletedVersion>();
        var warnings = new ConcurrentBag<string>();
        var notFound = new ConcurrentBag<ListedVersion>();
        var pacer = new DeletionPacer(request.MaxDeletionsPerMinute, request.Clock);
        try
        {
            await Parallel.ForEachAsync(plan.ToDelete,
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, request.ApiConcurrency), CancellationToken = cancellationToken },
                async (version, token) =>
                {
                    await pacer.WaitTurnAsync(token);
                    if (await api.DeleteAsync(version, token))
                    {
                        deleted.Add(ToDeleted(version));
                        await request.Log.WriteLineAsync($"deleted {version.Id} {version.Digest}");
                    }
                    else
                    {
                        notFound.Add(version);
                        warnings.Add(api.NotFoundOnDeleteWarning(version));
                        await request.Log.WriteLineAsync("warning: " + api.NotFoundOnDeleteWarning(version));
                    }
                });
        }
        catch (GhcrCleanupException e)
        {
            // What was deleted before the failure is still restorable: write it down, then fail.
            Finish(request, Report(CleanupOutcome.Completed, Ordered(deleted), [.. warnings], e.Message), stopwatch);
            throw;
        }
        // One 404 is a version someone else deleted first. Every delete answering 404 while the versions are still listed
        // is a permission GitHub reports as "not found": the run must fail, not end "Build succeeded".
        if (deleted.IsEmpty && !notFound.IsEmpty)
        {
            var listed = (await api.ListAsync(cancellationToken)).Select(v => v.Id).ToHashSet();
            if (notFound.Any(v => listed.Contains(v.Id)))
            {
                var message = redactor.Mask(api.AllDeletesNotFound(image.Name, notFound.Count));
                Finish(request, Report(CleanupOutcome.Completed, [], [.. warnings], message), stopwatch);
                throw new GhcrCleanupException(message);
            }
        }
        return Finish(request, Report(CleanupOutcome.Completed, Ordered(deleted), [.. warnings], null), stopwatch);
    }

    sealed record Plan(IReadOnlyList<ListedVersion> ToDelete, int KeptTagged, int ProtectedChildren, int Fresh,
        int KeptNewest, int Unreadable, IReadOnlyList<string> Warnings, string? RefusedBecause);

    static async Task<Plan> PlanAsync(CleanupRequest request, ImageReference image, IReadOnlyList<ListedVersion> versions,
        RegistryManifests registry, CancellationToken cancellationToken)
    {
        var now = request.Clock.GetUtcNow();
        var tagged = versions.Where(v => !v.IsUntagged).ToList();
        var untagged = versions.Where(v => v.IsUntagged).ToList();
        var fresh = untagged.Where(v => now - v.CreatedAt < request.GracePeriod).ToList();
        Plan Refuse(string reason) => new([], tagged.Count, 0, fresh.Count, 0, 0, [], reason);

        // Roots: the registry's own tag list (it cannot miss a tag the way a paged listing can while versions
        // are deleted concurrently), every tagged version, and fresh versions (a build may still be pushing).
        IReadOnlyList<string> registryTags;
        try
        {
            registryTags = await registry.ListTagsAsync(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return Refuse($"Deleted nothing from {image.Name}: its tag list could not be read ({e.Message.ReplaceLineEndings(" ")}).");
        }
        // Tags first: a tagged version's digest is then usually known already and not fetched twice.
        var (tagFacts, tagFailures) = await registry.ReadAsync(registryTags, cancellationToken);
        var (digestFacts, digestFailures) = await registry.ReadAsync(
            tagged.Select(v => v.Digest).Concat(fresh.Select(v => v.Digest)), cancellationToken);
        var rootFacts = tagFacts.Values.Concat(digestFacts.Values).ToList();
        var rootFailures = tagFailures.Concat(digestFailures).ToList();
        if (rootFailures.Count > 0)
        {
            var (reference, why) = rootFailures.OrderBy(f => f.Key, StringComparer.Ordinal).First();
            return Refuse($"Deleted nothing from {image.Name}: kept manifest {Describe(reference, versions)} could not be read ({why}); " +
                          $"{rootFailures.Count} kept manifest(s) unreadable in all. Fix access to the registry and run again.");
        }

        var protectedSet = new ProtectedSet();
        var unread = rootFacts.SelectMany(f => protectedSet.Protect(f.Digest, registry.Known)).Distinct(StringComparer.Ordinal).ToList();
        while (unread.Count > 0) // children and nested indexes, level by level: what each child is comes from its own bytes
        {
            var (_, failures) = await registry.ReadAsync(unread, cancellationToken);
            // A child described as an image that the registry does not have keeps nothing alive beneath it; any other
            // failure (a missing nested index, an error) leaves its children unknown, so nothing is deleted.
            var blocking = failures.Where(f => !(registry.IsMissing(f.Key) && !protectedSet.DescribedAsIndex(f.Key)))
                .OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
            if (blocking.Count > 0)
            {
                var (reference, why) = blocking[0];
                return Refuse($"Deleted nothing from {image.Name}: " +
                    $"{(protectedSet.DescribedAsIndex(reference) ? "nested index" : "child manifest")} {reference} of a kept " +
                    $"manifest could not be read ({why}).");
            }
            foreach (var missing in failures.Keys) protectedSet.MarkLeaf(missing);
            unread = unread.Where(d => !failures.ContainsKey(d))
                .SelectMany(d => protectedSet.Protect(d, registry.Known))
                .Distinct(StringComparer.Ordinal).ToList();
        }

        await request.Log.WriteLineAsync($"{image.Name}: " +
            $"{rootFacts.Count} kept manifests protect the untagged versions they reference ({registry.Requests} " +
            "registry requests so far).");

        // Candidates are read too: only its own manifest says whether it is a referrer (subject) of a protected one.
        var freshIds = fresh.Select(v => v.Id).ToHashSet();
        var candidates = untagged.Where(v => !freshIds.Contains(v.Id) && !protectedSet.Contains(v.Digest)).ToList();
        var (candidateFacts, candidateFailures) = await registry.ReadAsync(candidates.Select(v => v.Digest), cancellationToken);
        protectedSet.ProtectReferrers(candidateFacts.Values, registry.Known);
        await request.Log.WriteLineAsync($"{image.Name}: " +
            $"{candidates.Count} untagged versions read for a subject ({registry.Requests} registry requests so far).");
        var warnings = candidateFailures
            .Select(f => $"Kept {Describe(f.Key, versions)}: its manifest could not be read to rule out a subject ({f.Value}).")
            .ToList();

        var deletable = candidates
            .Where(v => !protectedSet.Contains(v.Digest) && !candidateFailures.ContainsKey(v.Digest))
            .OrderByDescending(v => v.CreatedAt).ThenByDescending(v => v.Id).ToList();
        var keptNewest = deletable.Take(Math.Max(0, request.KeepNewestUntagged)).ToList();
        foreach (var kept in keptNewest) protectedSet.Protect(kept.Digest, registry.Known); // and its children
        var toDelete = deletable.Where(v => !protectedSet.Contains(v.Digest)).OrderBy(v => v.CreatedAt).ThenBy(v => v.Id).ToList();
        // Octokit's delete routes take an int id; a larger id cannot be deleted through them, so it is kept, never truncated.
        foreach (var huge in toDelete.Where(v => v.Id > int.MaxValue))
            warnings.Add($"Kept version {huge.Id} ({huge.Digest}): its id is beyond Octokit's int delete route; " +
                "delete it in the package settings.");
        toDelete.RemoveAll(v => v.Id > int.MaxValue);

        var keptNewestIds = keptNewest.Select(v => v.Id).ToHashSet();
        var protectedChildren = untagged.Count(v =>
            !freshIds.Contains(v.Id) && !keptNewestIds.Contains(v.Id) && protectedSet.Contains(v.Digest));
        return new Plan(toDelete, tagged.Count, protectedChildren, fresh.Count, keptNewest.Count,
            candidateFailures.Count, warnings, null);
    }

    static void Validate(CleanupRequest request, ImageReference image)
    {
        if (string.IsNullOrWhiteSpace(request.GitHubToken))
            throw new GhcrCleanupException(
                "No GitHub token for CleanupUntagged: pass GITHUB_TOKEN (Actions: permissions: packages: write) or the token parameter.");
        if (!image.Repository.Contains('/'))
            throw new GhcrCleanupException(
                $"Image '{request.Image}' names no package: write registry/owner/package, e.g. ghcr.io/acme/app.");
        if (request.GracePeriod < TimeSpan.Zero)
            throw new GhcrCleanupException($"Grace period {request.GracePeriod} is negative: use 0 or more (default 1 hour).");
        if (request.KeepNewestUntagged < 0)
            throw new GhcrCleanupException($"Keep-newest count {request.KeepNewestUntagged} is negative: use 0 or more.");
        if (request.MaxDeletionsPerMinute < 0)
            throw new GhcrCleanupException($"Deletions per minute {request.MaxDeletionsPerMinute} is negative: use 0 (no pacing) or more.");
    }

    static string Describe(string reference, IReadOnlyList<ListedVersion> versions) =>
        versions.FirstOrDefault(v => v.Digest == reference) is { } v
            ? v.IsUntagged ? $"{reference} (version {v.Id})" : $"{reference} (tag {string.Join(", ", v.Tags)})"
            : $"'{reference}'";

    static DeletedVersion ToDeleted(ListedVersion v) => new(v.Id, v.Digest, v.CreatedAt);

    static IReadOnlyList<DeletedVersion> Ordered(IEnumerable<DeletedVersion> deleted) =>
        deleted.OrderBy(d => d.CreatedAt).ThenBy(d => d.Id).ToList();

    static CleanupReport Finish(CleanupRequest request, CleanupReport report, Stopwatch stopwatch)
    {
        var redactor = new SecretMasker([request.GitHubToken]);
        report = report with
        {
            Duration = stopwatch.Elapsed,
            Reason = report.Reason is null ? null : redactor.Mask(report.Reason),
            Warnings = report.Warnings.Select(redactor.Mask).ToList(),
        };
        // Rendering the summary is the caller's choice (report.ToSummaryTable()); the log only gets progress lines.
        if (request.ReportPath is { } path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, redactor.Mask(report.ToJson()));
            File.Move(temporary, path, overwrite: true); // never a half-written report
        }
        return report;
    }
}
