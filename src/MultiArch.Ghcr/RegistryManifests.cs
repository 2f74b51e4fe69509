using SecretMasker = MultiArch.Processes.SecretMasker;
using System.Collections.Concurrent;
using MultiArch.Oci;

namespace MultiArch.Ghcr;

/// <summary>
/// Reads manifests of one repository through the registry client, many at once (bounded), and remembers each
/// answer so a manifest shared by several indexes is fetched once.
/// </summary>
internal sealed class RegistryManifests(RegistryClient client, string repository, int concurrency, SecretMasker redactor)
{
    readonly ConcurrentDictionary<string, ManifestFacts> _known = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, bool> _missing = new(StringComparer.Ordinal);
    int _requests;

    /// <summary>Registry requests made (tag lists and manifests).</summary>
    public int Requests => _requests;

    /// <summary>The facts of a manifest already read, or null.</summary>
    public ManifestFacts? Known(string digest) => _known.GetValueOrDefault(digest);

    /// <summary>Whether the last read of this reference answered 404 (the registry does not have it).</summary>
    public bool IsMissing(string reference) => _missing.ContainsKey(reference);

    /// <summary>Every tag the registry holds for the repository.</summary>
    public async Task<IReadOnlyList<string>> ListTagsAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        return await client.ListTagsAsync(repository, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Reads each reference (a digest or a tag) not read before. Returns the failures as reference → one-line reason;
    /// the facts of the successes are then available through <see cref="Known"/> (and, for a tag, the result).
    /// </summary>
    public async Task<(IReadOnlyDictionary<string, ManifestFacts> Read, IReadOnlyDictionary<string, string> Failed)> ReadAsync(
        IEnumerable<string> references, CancellationToken cancellationToken)
    {
        var read = new ConcurrentDictionary<string, ManifestFacts>(StringComparer.Ordinal);
        var failed = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var todo = new List<string>();
        foreach (var reference in references.Distinct(StringComparer.Ordinal))
            if (_known.TryGetValue(reference, out var facts)) read[reference] = facts;
            else todo.Add(reference);
        await Parallel.ForEachAsync(todo,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency), CancellationToken = cancellationToken },
            async (reference, token) =>
            {
                try
                {
                    Interlocked.Increment(ref _requests);
                    var facts = ManifestFacts.From(await client.GetManifestAsync(repository, reference, token));
                    _known[facts.Digest] = facts;
                    read[reference] = facts;
                }
                catch (Exception e) when (!token.IsCancellationRequested)
                {
                    if (e is OciRegistryException { StatusCode: System.Net.HttpStatusCode.NotFound }) _missing[reference] = true;
                    // Any failure (registry error, network, timeout, not a manifest) is recorded: the caller fails closed.
                    failed[reference] = redactor.Mask(e.Message.ReplaceLineEndings(" "));
                }
            });
        return (read, failed);
    }
}
