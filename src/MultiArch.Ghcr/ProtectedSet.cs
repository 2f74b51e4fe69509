using MultiArch.Oci;

namespace MultiArch.Ghcr;

/// <summary>
/// The digests that must survive: the roots (tagged, inside the grace period, kept-newest) and everything they
/// keep alive: index children, nested indexes, and referrers whose <c>subject</c> is protected.
/// </summary>
internal sealed class ProtectedSet
{
    readonly HashSet<string> _digests = new(StringComparer.Ordinal);
    readonly HashSet<string> _expanded = new(StringComparer.Ordinal); // digests whose children are already protected

    /// <summary>True when the digest must not be deleted.</summary>
    public bool Contains(string digest) => _digests.Contains(digest);

    /// <summary>
    /// Protects a digest and, through the facts known so far, its children recursively. Returns the indexes
    /// (the root, nested indexes) whose facts are still unknown: read them, then call this again for each.
    /// </summary>
    public IReadOnlyList<string> Protect(string digest, Func<string, ManifestFacts?> known)
    {
        var unread = new List<string>();
        var pending = new Stack<(string Digest, bool MayHaveChildren)>([(digest, true)]);
        while (pending.TryPop(out var next))
        {
            _digests.Add(next.Digest);
            if (!next.MayHaveChildren || _expanded.Contains(next.Digest)) continue;
            if (known(next.Digest) is not { } facts)
            {
                unread.Add(next.Digest);
                continue;
            }
            _expanded.Add(next.Digest);
            foreach (var child in facts.Children)
                pending.Push((child.Digest.ToString(), !MediaTypes.IsImageManifest(child.MediaType)));
        }
        return unread;
    }

    /// <summary>
    /// Protects every manifest whose subject is protected, repeating until nothing changes
    /// (a signature on an SBOM on an image). Returns how many were added.
    /// </summary>
    public int ProtectReferrers(IEnumerable<ManifestFacts> candidates, Func<string, ManifestFacts?> known)
    {
        var list = candidates.Where(c => c.Subject is not null).ToList();
        var added = 0;
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var referrer in list)
            {
                if (_digests.Contains(referrer.Digest) || !_digests.Contains(referrer.Subject!)) continue;
                Protect(referrer.Digest, known);
                added++;
                changed = true;
            }
        }
        return added;
    }
}
