using MultiArch.Build;
using MultiArch.Oci;
using MultiArch.Workflows;

namespace MultiArch.Components;

/// <summary>
/// Prepare: the run's version and index tags, computed once, before any lane. In CI it is the workflow's first job,
/// and its outputs reach every leg and the merge through env (<c>MULTIARCH_VERSION</c>, <c>MULTIARCH_INDEX_TAGS</c>).
/// Before it, each leg computed the version and wrote it as the job output, so the last leg to finish won.
/// </summary>
public interface IPrepare : IMultiArchPipeline
{
    /// <summary>The index's tags, exactly, instead of the tag rules: what the prepare job hands to the merge.</summary>
    [Parameter("The index's tags, exactly, instead of the tag rules (the prepare job's output, read by the merge); "
        + "each must be a valid OCI tag")]
    string[]? IndexTags => TryGetValue(() => IndexTags);

    /// <summary>The target.</summary>
    Target Prepare => _ => _
        .Description("Computes the version and the index tags once, before any lane (in CI the prepare job: every leg "
            + "and the merge read its outputs)")
        // After the input checks when both run (locally); no dependency, so the CI prepare job runs nothing else.
        .After<IPreflight>(x => x.Preflight)
        .Annotate(WorkflowAnnotations.Job, "prepare")
        .Annotate(WorkflowAnnotations.Outputs, "version,index_tags")
        .Executes(() =>
        {
            var tags = IndexTagList;
            var listed = tags.Count == 0 ? "none (no tag rule applies to this run)" : string.Join(", ", tags);
            Build.Log.Info($"Version {Version}; index tags: {listed}");
            if (Build.Environment.GetValueOrDefault("GITHUB_OUTPUT") is { Length: > 0 } output)
                File.AppendAllText(output, $"version={Version}\nindex_tags={string.Join(' ', tags)}\n");
        });

    /// <summary>--index-tags, each checked against the OCI tag grammar, else what the tag rules give for this run.</summary>
    sealed IReadOnlyList<string> IndexTagList
    {
        get
        {
            if (IndexTags is not { Length: > 0 } given) return Naming.ReleaseTags(TagContext, ExtraTags);
            foreach (var tag in given)
            {
                try { TagRules.Validate(tag, $"--index-tags {tag}"); }
                catch (OciInputException e) { throw new BuildException(e.Message); }
            }
            return given.Distinct(StringComparer.Ordinal).ToList();
        }
    }
}
