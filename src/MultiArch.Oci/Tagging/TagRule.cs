using System.Globalization;
using System.Text.RegularExpressions;

namespace MultiArch.Oci.Tagging;

/// <summary>Which ref a <see cref="TagRule.Ref"/> rule reads (metadata-action's <c>event=</c>).</summary>
public enum RefEvent
{
    /// <summary><c>refs/heads/my/branch</c> gives <c>my-branch</c>.</summary>
    Branch,
    /// <summary><c>refs/tags/v1.2.3</c> gives <c>v1.2.3</c> (and <c>latest</c> under <c>latest=auto</c>).</summary>
    Tag,
    /// <summary><c>refs/pull/2/merge</c> gives <c>pr-2</c>.</summary>
    Pr,
}

/// <summary>How much of the commit SHA a <see cref="TagRule.Sha"/> rule keeps.</summary>
public enum ShaFormat
{
    /// <summary>The first <see cref="TagContext.ShortShaLength"/> characters (7).</summary>
    Short,
    /// <summary>All 40.</summary>
    Long,
}

/// <summary>
/// One entry of metadata-action's <c>tags</c> input, typed: each rule gives at most one tag for a
/// <see cref="TagContext"/>, before the prefix, suffix and sanitising that <see cref="Tags"/> applies to all alike.
/// </summary>
public abstract partial record TagRule
{
    private protected TagRule() { }

    /// <summary>
    /// Put before the tag; null takes the flavor's (or the rule's own default: <c>pr-</c>, <c>sha-</c>).
    /// Global expressions allowed.
    /// </summary>
    public string? Prefix { get; init; }

    /// <summary>Put after the tag; null takes the flavor's. Global expressions allowed.</summary>
    public string? Suffix { get; init; }

    /// <summary>Order in the output, higher first; null keeps the type's (schedule 1000 … sha 100, as metadata-action).</summary>
    public int? Priority { get; init; }

    /// <summary>metadata-action's <c>enable=</c>: the rule applies only when this holds, e.g. <c>c =&gt; c.IsDefaultBranch</c>.</summary>
    public Func<TagContext, bool>? When { get; init; }

    /// <summary>How messages name the rule, e.g. <c>Ref(Branch)</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The priority in effect: <see cref="Priority"/>, else the type's default from metadata-action's table.</summary>
    public int EffectivePriority => Priority ?? DefaultPriority;

    internal abstract int DefaultPriority { get; }

    internal virtual string? DefaultPrefix => null;

    /// <summary>
    /// The tag before prefix and suffix, and whether <c>latest=auto</c> adds <c>latest</c>; null when the rule
    /// does not apply.
    /// </summary>
    internal abstract (string Value, bool Latest)? Evaluate(TagContext context);

    /// <summary><c>type=schedule</c>: on a scheduled run, <see cref="Pattern"/> (<c>nightly</c>, or <c>{{date 'YYYYMMDD'}}</c>).</summary>
    public sealed record Schedule(string Pattern = "nightly") : TagRule
    {
        /// <inheritdoc />
        public override string Name => $"Schedule(\"{Pattern}\")";
        internal override int DefaultPriority => 1000;
        internal override (string, bool)? Evaluate(TagContext context) => context.Event != TagEvent.Schedule ? null
            : (context.Expand(Pattern, $"Tag rule {Name}"), false);
    }

    /// <summary>
    /// <c>type=semver</c>: renders <see cref="Pattern"/> (<c>{{version}}</c>, <c>{{major}}.{{minor}}</c>, <c>{{major}}</c>,
    /// <c>{{minor}}</c>, <c>{{patch}}</c>, <c>{{raw}}</c>) from <see cref="Value"/>, else the run's version or git tag.
    /// A pre-release gives only <c>{{version}}</c> (or <c>{{raw}}</c> when the pattern is exactly that), as metadata-action
    /// documents; a value that is no semver gives nothing. <c>{{version}}</c> writes build metadata with <c>-</c>, as
    /// every MultiArch tag does.
    /// </summary>
    public sealed partial record Semver(string Pattern) : TagRule
    {
        /// <summary>metadata-action's <c>value=</c>: read this instead of the run's version. Global expressions allowed.</summary>
        public string? Value { get; init; }

        /// <summary>
        /// metadata-action's <c>match=</c>: a regular expression whose first group is the version, e.g.
        /// <c>v(\d.\d.\d)$</c>.
        /// </summary>
        public string? MatchPattern { get; init; }

        /// <inheritdoc />
        public override string Name => $"Semver(\"{Pattern}\")";
        internal override int DefaultPriority => 900;

        internal override (string, bool)? Evaluate(TagContext context)
        {
            var where = $"Tag rule {Name}";
            var source = Value is { Length: > 0 } given
                ? (context.Expand(given, where), null)
                : context.SemverSource;
            if (source is not var (raw, parsed)) return null;
            if (MatchPattern is { Length: > 0 } && Regex.Match(raw, MatchPattern) is { Success: true } m && m.Groups.Count > 1)
                (raw, parsed) = (m.Groups[1].Value, null);
            raw = raw.Replace('/', '-');
            if ((parsed ?? ImageVersion.TryParseSemver(raw)) is not { IsSemver: true } version) return null;
            if (!version.IsRelease)
                return (RawOnly().IsMatch(Pattern) ? raw : version.Text, false);
            var text = TagExpressions.Render(Pattern, e => e.Name switch
            {
                "raw" => raw,
                "version" => version.Text,
                "major" => version.Major.ToString(CultureInfo.InvariantCulture),
                "minor" => version.Minor.ToString(CultureInfo.InvariantCulture),
                "patch" => version.Patch.ToString(CultureInfo.InvariantCulture),
                _ => null,
            }, where, "{{raw}}, {{version}}, {{major}}, {{minor}} or {{patch}}");
            return (text, true);
        }

        [GeneratedRegex(@"^\{\{\s*raw\s*\}\}$")]
        private static partial Regex RawOnly();
    }

    /// <summary>
    /// <c>type=match</c>: group <see cref="Group"/> of the regular expression <see cref="Pattern"/> (or <c>/re/flags</c>)
    /// matched against <see cref="Value"/>, else the run's version or git tag; no match gives nothing.
    /// </summary>
    public sealed partial record Match(string Pattern, int Group = 0) : TagRule
    {
        /// <summary>metadata-action's <c>value=</c>: match this instead of the run's version. Global expressions allowed.</summary>
        public string? Value { get; init; }

        /// <inheritdoc />
        public override string Name => $"Match(\"{Pattern}\", {Group})";
        internal override int DefaultPriority => 800;

        internal override (string, bool)? Evaluate(TagContext context)
        {
            var where = $"Tag rule {Name}";
            var raw = Value is { Length: > 0 } given
                ? context.Expand(given, where)
                : context.SemverSource?.Raw;
            if (raw is null) return null;
            Regex regex;
            try
            {
                regex = SlashForm().Match(Pattern) is { Success: true } slash
                    ? new Regex(slash.Groups[1].Value, slash.Groups[2].Value.Contains('i') ? RegexOptions.IgnoreCase : RegexOptions.None)
                    : new Regex(Pattern);
            }
            catch (ArgumentException e) { throw new OciInputException($"{where}: '{Pattern}' is no regular expression " +
                $"({e.Message.Split('\n')[0]}): fix the pattern."); }
            var m = regex.Match(raw);
            return m.Success && Group < m.Groups.Count && m.Groups[Group].Success ? (m.Groups[Group].Value, true) : null;
        }

        [GeneratedRegex("^/(.+)/(.*)$")]
        private static partial Regex SlashForm();
    }

    /// <summary>
    /// The run's version as every per-arch tag carries it (<c>1.2.3</c>, <c>1.5.0-rc.1</c>, <c>dev</c>): MultiArch's own
    /// rule, which metadata-action has no type for, because its version comes from the build, not only from a git tag.
    /// <c>latest=auto</c> adds <c>latest</c> for a release.
    /// </summary>
    public sealed record Version() : TagRule
    {
        /// <inheritdoc />
        public override string Name => "Version()";
        internal override int DefaultPriority => 900;
        internal override (string, bool)? Evaluate(TagContext context) => context.Version is { } v ? (v.Text, v.IsRelease) : null;
    }

    /// <summary><c>type=edge</c>: <c>edge</c> on a push to <see cref="Branch"/>, else to the default branch.</summary>
    public sealed record Edge(string? Branch = null) : TagRule
    {
        /// <inheritdoc />
        public override string Name => Branch is null ? "Edge()" : $"Edge(\"{Branch}\")";
        internal override int DefaultPriority => 700;
        internal override (string, bool)? Evaluate(TagContext context) =>
            context.Branch is { } branch && branch == (Branch ?? context.DefaultBranch) ? ("edge", false) : null;
    }

    /// <summary><c>type=ref</c>: the branch name, the git tag, or the pull request's number (with prefix <c>pr-</c>).</summary>
    public sealed record Ref(RefEvent Event) : TagRule
    {
        /// <inheritdoc />
        public override string Name => $"Ref({Event})";
        internal override int DefaultPriority => 600;
        internal override string? DefaultPrefix => Event == RefEvent.Pr ? "pr-" : null;
        internal override (string, bool)? Evaluate(TagContext context) => (Event, context.Ref) switch
        {
            (RefEvent.Branch, GitRef.Branch b) => (b.Name, false),
            (RefEvent.Tag, GitRef.Tag t) => (t.Name, true),
            (RefEvent.Pr, GitRef.PullRequest p) => (p.Number.ToString(CultureInfo.InvariantCulture), false),
            _ => null,
        };
    }

    /// <summary><c>type=raw</c>: <see cref="Value"/> as given (global expressions allowed), on every run.</summary>
    public sealed record Raw(string Value) : TagRule
    {
        /// <inheritdoc />
        public override string Name => $"Raw(\"{Value}\")";
        internal override int DefaultPriority => 200;
        internal override (string, bool)? Evaluate(TagContext context) =>
            (context.Expand(Value, $"Tag rule {Name}"), false);
    }

    /// <summary><c>type=sha</c>: the commit, short (7) or long, with prefix <c>sha-</c>.</summary>
    public sealed partial record Sha(ShaFormat Format = ShaFormat.Short) : TagRule
    {
        /// <inheritdoc />
        public override string Name => $"Sha({Format})";
        internal override int DefaultPriority => 100;
        internal override string? DefaultPrefix => "sha-";

        internal override (string, bool)? Evaluate(TagContext context)
        {
            if (context.Sha is not { Length: > 0 } sha) return null;
            if (!ShaPattern().IsMatch(sha))
                throw new OciInputException($"Revision '{sha}' is not a commit SHA: pass 7 to 40 hex characters, e.g. " +
                    "from `git rev-parse HEAD`.");
            // Hex case means nothing; a tag that differs only in case would be a second tag for one commit.
            return ((Format == ShaFormat.Long ? sha : context.ShortSha!).ToLowerInvariant(), false);
        }

        [GeneratedRegex("^[0-9a-fA-F]{7,40}$")]
        private static partial Regex ShaPattern();
    }
}
