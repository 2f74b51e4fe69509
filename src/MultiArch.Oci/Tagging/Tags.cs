using System.Text.RegularExpressions;

namespace MultiArch.Oci.Tagging;

/// <summary>
/// A build's tag rules, typed after docker/metadata-action's <c>tags</c> and <c>flavor</c> inputs: the rules, by
/// priority, each give at most one tag; the flavor adds <c>latest</c> and a shared prefix and suffix. Every tag is
/// sanitised as metadata-action does (each run of characters outside <c>[A-Za-z0-9._-]</c> becomes <c>-</c>) and must
/// then be a valid OCI tag, else a one-line error names the rule and the fix.
/// </summary>
public sealed partial class Tags
{
    /// <summary>The rules; their order breaks priority ties, as the order of metadata-action's lines does.</summary>
    public Tags(params TagRule[] rules) => Rules = rules;

    /// <summary>The rules as declared.</summary>
    public IReadOnlyList<TagRule> Rules { get; }

    /// <summary>metadata-action's <c>flavor</c>.</summary>
    public TagFlavor Flavor { get; init; } = new();

    /// <summary>
    /// MultiArch's tags since the first release: the version, then for a release <c>1.2</c>, <c>1</c> and <c>latest</c>,
    /// then <c>sha-&lt;7&gt;</c>. <c>latest</c> is a raw rule rather than the flavor's so that it keeps its place before
    /// <c>sha-</c> (the flavor's goes last); for this list it holds exactly when <c>latest=auto</c> would.
    /// </summary>
    public static Tags Default { get; } = new(
        new TagRule.Version(),
        new TagRule.Semver("{{major}}.{{minor}}"),
        new TagRule.Semver("{{major}}"),
        new TagRule.Raw("latest") { When = c => c.Version is { IsRelease: true } },
        new TagRule.Sha())
    {
        Flavor = new TagFlavor { Latest = LatestMode.False },
    };

    /// <summary>metadata-action's own default when its <c>tags</c> input is empty: schedule, branch, git tag and pull request.</summary>
    public static Tags MetadataActionDefault { get; } = new(
        new TagRule.Schedule(), new TagRule.Ref(RefEvent.Branch), new TagRule.Ref(RefEvent.Tag), new TagRule.Ref(RefEvent.Pr));

    /// <summary>
    /// The tags for <paramref name="context"/>, highest priority first, then <c>latest</c>, then
    /// <paramref name="extraTags"/> (validated, not sanitised: they are given as tags), without duplicates.
    /// Empty when no rule applies.
    /// </summary>
    /// <exception cref="OciInputException">A rule gives no usable tag, or an extra tag or the revision is not valid.</exception>
    public IReadOnlyList<string> For(TagContext context, IEnumerable<string>? extraTags = null)
    {
        var tags = new List<string>();
        bool? latest = null;
        // OrderByDescending is stable: equal priorities keep their declared order.
        foreach (var rule in Rules.OrderByDescending(r => r.EffectivePriority))
        {
            if (rule.When is { } when && !when(context)) continue;
            if (rule.Evaluate(context) is not var (value, releaseLike)) continue;
            // A rule's own prefix, even an empty one, replaces the flavor's: metadata-action's setValue.
            var text = Global(rule.Prefix ?? rule.DefaultPrefix ?? Flavor.Prefix, context, rule) + value
                + Global(rule.Suffix ?? Flavor.Suffix, context, rule);
            if (text.Length == 0) continue;
            tags.Add(Sanitise(text, rule.Name));
            // The first tag given decides latest, as metadata-action's setVersion does.
            latest ??= Flavor.Latest switch { LatestMode.Auto => releaseLike, LatestMode.True => true, _ => false };
        }
        if (latest == true)
        {
            var prefix = Flavor.PrefixLatest ? Global(Flavor.Prefix, context, null) : "";
            var suffix = Flavor.SuffixLatest ? Global(Flavor.Suffix, context, null) : "";
            tags.Add(Sanitise($"{prefix}latest{suffix}", "latest (the flavor's)"));
        }
        foreach (var extra in extraTags ?? [])
        {
            TagRules.Validate(extra, $"Extra tag '{extra}' is not valid");
            tags.Add(extra);
        }
        return tags.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// metadata-action's sanitising (each run of characters outside <c>[A-Za-z0-9._-]</c> becomes <c>-</c>), lowercased
    /// when the flavor asks, then checked against the OCI tag grammar <c>[A-Za-z0-9_][A-Za-z0-9._-]{0,127}</c>.
    /// </summary>
    /// <exception cref="OciInputException">The result still is no tag: names <paramref name="rule"/> and the fix.</exception>
    public string Sanitise(string text, string rule)
    {
        var tag = Unsafe().Replace(text, "-");
        if (Flavor.Lowercase) tag = tag.ToLowerInvariant();
        if (tag[0] is '.' or '-')
            throw new OciInputException($"Tag rule {rule} gives '{Shorten(tag)}', " +
                $"which starts with '{tag[0]}' and so is no tag: give the rule a Prefix starting with a letter, digit or '_', " +
                "or limit it with When.");
        if (tag.Length > 128)
            throw new OciInputException($"Tag rule {rule} gives a tag of {tag.Length} characters ('{Shorten(tag)}'), " +
                "and a tag holds at most 128: shorten the rule's Prefix or Suffix, or limit it with When.");
        return tag;
    }

    static string Global(string template, TagContext context, TagRule? rule) =>
        context.Expand(template, rule is null ? "Tag flavor" : $"Tag rule {rule.Name}");

    static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";

    [GeneratedRegex("[^a-zA-Z0-9._-]+")]
    private static partial Regex Unsafe();
}
