namespace MultiArch.Build;

/// <summary>Suggests the closest known name for a misspelt one (edit distance, case-insensitive).</summary>
public static class DidYouMean
{
    /// <summary>Returns <c>" Did you mean 'X'?"</c> or an empty string when nothing is close.</summary>
    public static string Suggest(string input, IEnumerable<string> candidates)
    {
        var best = candidates
            .Select(c => (Name: c, Distance: Distance(input.ToLowerInvariant(), c.ToLowerInvariant())))
            .Where(c => c.Distance <= Math.Max(2, input.Length / 3) || c.Name.StartsWith(input, StringComparison.OrdinalIgnoreCase))
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        return best.Name is null ? "" : $" Did you mean '{best.Name}'?";
    }

    static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
