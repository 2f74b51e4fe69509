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
    readonly HashSet<string> _indexChildren = new(StringComparer.Ordinal); // children their parent describes as an index

    /// <summary>True when the digest must not be deleted.</summary>
    public bool Contains(string digest) => _digests.Contains(digest);

    /// <summary>
    /// Protects a digest and, through the facts known so far, its children recursively. Returns the manifests (the
    /// root, its children) whose facts are still unknown: read them, then call this again for each. A child is expanded
    /// by what its own bytes are, never by the media type its parent's descriptor claims: a descriptor saying "image
    /// manifest" may point at an index, whose children must be protected too.
    /// </summary>
    public IReadOnlyList<string> Protect(string digest, Func<string, ManifestFacts?> known)
    {
        var unread = new List<string>();
        var pending = new Stack<string>([digest]);
        while (pending.TryPop(out var next))
        {
            _digests.Add(next);
            if (_expanded.Contains(next)) continue;
            if (known(next) is not { } facts)
            {
                unread.Add(next);
                continue;
            }
            _expanded.Add(next);
            foreach (var child in facts.Children)
            {
                if (!MediaTypes.IsImageManifest(child.MediaType)) _indexChildren.Add(child.Digest.ToString());
                pending.Push(child.Digest.ToString());
            }
        }
        return unread;
    }

    /// <summary>Whether some parent describes this child as an index (or anything but an image manifest).</summary>
    public bool DescribedAsIndex(string digest) => _indexChildren.Contains(digest);

    /// <summary>Marks a protected manifest as having nothing beneath it (a child the registry does not have).</summary>
    public void MarkLeaf(string digest) => _expanded.Add(digest);

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
