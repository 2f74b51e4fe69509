namespace MultiArch.Workflows;

/// <summary>
/// Artifact names per leg and the download patterns that fetch exactly a consumer's share of them: a per-image merge
/// downloads that image's digests, a plain fan-in all of them.
/// </summary>
internal static class ArtifactNames
{
    /// <summary>The artifact-safe last segment of a path.</summary>
    public static string Base(string path)
    {
        var last = path.Split('/').Last();
        return new string(last.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray());
    }

    // Between axis values: two dashes, which a value such as "hello-slim" does not hold where "hello" ends, so a per-image
    // download pattern (digests-hello--*) never takes another image's files.
    const string Separator = "--";

    /// <summary>The name each leg of <paramref name="producer"/> uploads <paramref name="path"/> under.</summary>
    public static string Upload(string path, PlannedJob producer) =>
        Base(path) + (producer.Axes.Count == 0 ? "" : "-" + string.Join(Separator, producer.Axes.Select(a => MatrixValue(producer, a))));

    /// <summary>The pattern a leg of <paramref name="consumer"/> downloads <paramref name="path"/> with.</summary>
    public static string DownloadPattern(WorkflowDefinition definition, string path, PlannedJob producer, PlannedJob consumer)
    {
        var shared = producer.Axes.TakeWhile(a => consumer.Axes.Contains(a, StringComparer.OrdinalIgnoreCase)).ToList();
        var pattern = Base(path) + (shared.Count == 0 ? "-*" : "-" + string.Join(Separator, shared.Select(a => MatrixValue(producer, a)))
            + (shared.Count < producer.Axes.Count ? Separator + "*" : ""));
        CheckPatternIsUnambiguous(definition, path, pattern, producer, consumer, shared);
        return pattern;
    }

    // With values such as "web" and "web-admin", "digests-web-*" would also fetch the other image's files: refuse to generate that.
    static void CheckPatternIsUnambiguous(WorkflowDefinition definition, string path, string pattern, PlannedJob producer,
        PlannedJob consumer, List<string> shared)
    {
        foreach (var consumerLeg in consumer.Legs.DefaultIfEmpty())
        {
            var concrete = Substitute(pattern, consumerLeg?.Partition.Values, producer.DescribedAxis);
            var regex = new System.Text.RegularExpressions.Regex(
                "^" + System.Text.RegularExpressions.Regex.Escape(concrete).Replace(@"\*", ".*") + "$");
            foreach (var producerLeg in producer.Legs)
            {
                var own = shared.All(a => producerLeg.Partition[a] == consumerLeg?.Partition[a]);
                var name = Substitute(Upload(path, producer), producerLeg.Partition.Values, producer.DescribedAxis);
                if (regex.IsMatch(name) != own)
                    throw new WorkflowDefinitionException($"Workflow '{definition.FileName}': artifact pattern '{concrete}' of job "
                        + $"'{consumer.Id}' would {(own ? "miss" : "also download")} '{name}'; "
                        + "rename the partition values so none is another one plus a dash-suffix.");
            }
        }
    }

    static string Substitute(string text, IReadOnlyDictionary<string, string>? values, MatrixAxis? described)
    {
        if (values is null) return text;
        foreach (var (axis, value) in values)
        {
            text = text.Replace($"${{{{ matrix.{axis} }}}}", value);
            if (described is { SlugKey: { } key } && described.Name.Equals(axis, StringComparison.OrdinalIgnoreCase))
                text = text.Replace($"${{{{ matrix.{key} }}}}", described.Slug(value));
        }
        return text;
    }

    // A described axis names artifacts by its slug key (a platform's pair: linux/arm/v7 holds slashes), others by the value.
    static string MatrixValue(PlannedJob job, string axis) =>
        job.DescribedAxis is { SlugKey: { } key } && job.DescribedAxis.Name.Equals(axis, StringComparison.OrdinalIgnoreCase)
            ? $"${{{{ matrix.{key} }}}}"
            : $"${{{{ matrix.{axis} }}}}";
}
