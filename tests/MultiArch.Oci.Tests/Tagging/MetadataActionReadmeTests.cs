using MultiArch.Oci.Tagging;
using static MultiArch.Oci.Tagging.TagRule;

namespace MultiArch.Oci.Tests.Tagging;

// Every example table of docker/metadata-action's README at v6.2.0 (git show v6.2.0:README.md), one test case per
// row, in the README's order: each method names its section, each InlineData is one row (event, ref or input, then
// the documented output). Rules are written as the section's YAML is; pep440 is not supported and not tested.
[Trait("Category", "Unit")]
public sealed class MetadataActionReadmeTests
{
    const string Sha = "860c1904a1ce19322e91ac35af1ab07466440c37";

    static TagContext On(string eventName, string fullRef) => new()
    {
        Event = eventName switch
        {
            "pull_request" => TagEvent.PullRequest,
            "workflow_dispatch" => TagEvent.WorkflowDispatch,
            "schedule" => TagEvent.Schedule,
            _ => TagEvent.Push, // "push" and "push tag": the ref tells them apart
        },
        Ref = GitRef.Parse(fullRef),
        Sha = Sha,
        DefaultBranch = "master",
        BaseRef = "master",
    };

    static string[] Split(string tags) => tags.Length == 0 ? [] : tags.Split(", ");

    static Tags NoLatest(params TagRule[] rules) => new(rules) { Flavor = new TagFlavor { Latest = LatestMode.False } };

    // "Usage > Basic": no tags input, so metadata-action's default entries (schedule, ref branch/tag/pr).
    [Theory]
    [InlineData("pull_request", "refs/pull/2/merge", "pr-2")]
    [InlineData("push", "refs/heads/master", "master")]
    [InlineData("push", "refs/heads/releases/v1", "releases-v1")]
    [InlineData("push tag", "refs/tags/v1.2.3", "v1.2.3, latest")]
    [InlineData("push tag", "refs/tags/v2.0.8-beta.67", "v2.0.8-beta.67, latest")]
    [InlineData("workflow_dispatch", "refs/heads/master", "master")]
    public void Usage_Basic_table_v6_2_0(string eventName, string fullRef, string tags) =>
        Tags.MetadataActionDefault.For(On(eventName, fullRef)).Should().Equal(Split(tags));

    // "Usage > Semver": type=ref,event=branch / type=ref,event=pr / type=semver,pattern={{version}} /
    // type=semver,pattern={{major}}.{{minor}}.
    [Theory]
    [InlineData("pull_request", "refs/pull/2/merge", "pr-2")]
    [InlineData("push", "refs/heads/master", "master")]
    [InlineData("push", "refs/heads/releases/v1", "releases-v1")]
    [InlineData("push tag", "refs/tags/v1.2.3", "1.2.3, 1.2, latest")]
    [InlineData("push tag", "refs/tags/v2.0.8-beta.67", "2.0.8-beta.67")]
    public void Usage_Semver_table_v6_2_0(string eventName, string fullRef, string tags) =>
        new Tags(new Ref(RefEvent.Branch), new Ref(RefEvent.Pr), new Semver("{{version}}"), new Semver("{{major}}.{{minor}}"))
            .For(On(eventName, fullRef)).Should().Equal(Split(tags));

    // "type=schedule": Pattern -> Output, on a schedule event; the README's outputs are 2020-01-10 00:30 UTC (09:30 in Tokyo).
    [Theory]
    [InlineData("nightly", "nightly")]
    [InlineData("{{date 'YYYYMMDD'}}", "20200110")]
    [InlineData("{{date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}", "20200110-093000")]
    public void Type_schedule_table_v6_2_0(string pattern, string output) =>
        NoLatest(new Schedule(pattern)).For(On("schedule",
            "refs/heads/master") with { Now = new DateTimeOffset(2020, 1, 10, 0, 30, 0, TimeSpan.Zero) })
            .Should().Equal(output);

    // "type=schedule": "Will be used on schedule event" (and `type=schedule` alone means pattern=nightly).
    [Fact]
    public void Type_schedule_applies_only_to_a_schedule_event_v6_2_0()
    {
        new Tags(new Schedule()).For(On("schedule", "refs/heads/master")).Should().Equal("nightly");
        new Tags(new Schedule()).For(On("push", "refs/heads/master")).Should().BeEmpty();
    }

    // "type=semver": Git tag | Pattern | Match | Output.
    [Theory]
    [InlineData("v1.2.3", "{{raw}}", null, "v1.2.3")]
    [InlineData("v1.2.3", "{{version}}", null, "1.2.3")]
    [InlineData("v1.2.3", "{{major}}.{{minor}}", null, "1.2")]
    [InlineData("v1.2.3", "v{{major}}", null, "v1")]
    [InlineData("v1.2.3", "{{minor}}", null, "2")]
    [InlineData("v1.2.3", "{{patch}}", null, "3")]
    [InlineData("p1/v1.2.3", "{{version}}", @"v(\d.\d.\d)$", "1.2.3")]
    [InlineData("v2.0.8-beta.67", "{{raw}}", null, "v2.0.8-beta.67")]
    [InlineData("v2.0.8-beta.67", "{{version}}", null, "2.0.8-beta.67")]
    [InlineData("v2.0.8-beta.67", "{{major}}", null, "2.0.8-beta.67")] // "*Pre-release ... will only extend {{version}}"
    [InlineData("v2.0.8-beta.67", "{{major}}.{{minor}}", null, "2.0.8-beta.67")]
    public void Type_semver_table_v6_2_0(string gitTag, string pattern, string? match, string output) =>
        NoLatest(new Semver(pattern) { MatchPattern = match }).For(On("push tag", "refs/tags/" + gitTag)).Should().Equal(output);

    // "type=semver": "use custom value instead of git tag" (type=semver,pattern={{version}},value=v1.0.0), on any ref.
    [Fact]
    public void Type_semver_value_replaces_the_git_tag_v6_2_0() =>
        NoLatest(new Semver("{{version}}") { Value = "v1.0.0" }).For(On("push", "refs/heads/master")).Should().Equal("1.0.0");

    // "type=semver": "requires a valid semver Git tag": a branch or a non-semver tag gives nothing.
    [Theory]
    [InlineData("refs/heads/master")]
    [InlineData("refs/tags/release-2020")]
    public void Type_semver_needs_a_semver_git_tag_v6_2_0(string fullRef) =>
        new Tags(new Semver("{{version}}")).For(On("push", fullRef)).Should().BeEmpty();

    // "type=match": Git tag | Pattern | Group | Output.
    [Theory]
    [InlineData("v1.2.3", @"\d.\d.\d", 0, "1.2.3")]
    [InlineData("v2.0.8-beta.67", "v(.*)", 1, "2.0.8-beta.67")]
    [InlineData("v2.0.8-beta.67", @"v(\d.\d)", 1, "2.0")]
    [InlineData("20200110-RC2", @"\d+", 0, "20200110")]
    [InlineData("p1/v1.2.3", @"p1/v(\d.\d.\d)", 1, "1.2.3")]
    public void Type_match_table_v6_2_0(string gitTag, string pattern, int group, string output) =>
        NoLatest(new TagRule.Match(pattern, group)).For(On("push tag", "refs/tags/" + gitTag)).Should().Equal(output);

    // "type=edge": `type=edge` (minimal, the default branch) and `type=edge,branch=main`.
    [Theory]
    [InlineData(null, "refs/heads/master", "edge")]
    [InlineData(null, "refs/heads/dev", "")]
    [InlineData("main", "refs/heads/main", "edge")]
    [InlineData("main", "refs/heads/master", "")]
    [InlineData(null, "refs/tags/v1.2.3", "")]
    public void Type_edge_examples_v6_2_0(string? branch, string fullRef, string tags) =>
        new Tags(new Edge(branch)).For(On("push", fullRef)).Should().Equal(Split(tags));

    // "type=ref": Event | Ref | Output, with type=ref,event=branch / event=tag / event=pr.
    [Theory]
    [InlineData("pull_request", "refs/pull/2/merge", "pr-2")]
    [InlineData("push", "refs/heads/master", "master")]
    [InlineData("push", "refs/heads/my/branch", "my-branch")]
    [InlineData("push tag", "refs/tags/v1.2.3", "v1.2.3")]
    [InlineData("push tag", "refs/tags/v2.0.8-beta.67", "v2.0.8-beta.67")]
    [InlineData("workflow_dispatch", "refs/heads/master", "master")]
    public void Type_ref_table_v6_2_0(string eventName, string fullRef, string output) =>
        NoLatest(new Ref(RefEvent.Branch), new Ref(RefEvent.Tag), new Ref(RefEvent.Pr)).For(On(eventName, fullRef)).Should().Equal(output);

    // "type=ref": event=pr's default is prefix=pr-; a rule's own prefix (here none) replaces it.
    [Fact]
    public void Type_ref_pr_prefix_default_is_pr_v6_2_0() =>
        new Tags(new Ref(RefEvent.Pr) { Prefix = "" }).For(On("pull_request", "refs/pull/318/merge")).Should().Equal("318");

    // "type=raw": type=raw,value=foo / type=raw,value=bar, on every event.
    [Fact]
    public void Type_raw_example_v6_2_0() =>
        new Tags(new Raw("foo"), new Raw("bar")).For(On("pull_request", "refs/pull/2/merge")).Should().Equal("foo", "bar");

    // "type=sha": "Output Git short commit (or long if specified) as Docker tag like sha-860c190".
    [Theory]
    [InlineData(ShaFormat.Short, 7, "sha-860c190")]
    [InlineData(ShaFormat.Long, 7, "sha-" + Sha)]
    [InlineData(ShaFormat.Short, 12, "sha-860c1904a1ce")] // DOCKER_METADATA_SHORT_SHA_LENGTH: 12
    public void Type_sha_examples_v6_2_0(ShaFormat format, int shortLength, string output) =>
        new Tags(new TagRule.Sha(format)).For(On("push", "refs/heads/master") with { ShortShaLength = shortLength }).Should().Equal(output);

    // "Notes > Image name and tag sanitization": "Replace invalid chars sequences with - for tags" (case is kept: only
    // image names are lowercased, meta.ts sanitizeTag / sanitizeImageName).
    [Theory]
    [InlineData("refs/heads/feature/Login Page", "feature-Login-Page")]
    [InlineData("refs/heads/fix//#12", "fix-12")]
    public void Notes_tag_sanitization_v6_2_0(string fullRef, string output) =>
        new Tags(new Ref(RefEvent.Branch)).For(On("push", fullRef)).Should().Equal(output);

    // "Notes > Latest tag": latest=auto gives latest for ref event=tag, semver and match (pep440 unsupported here).
    [Theory]
    [InlineData("ref,event=tag", "v1.2.3, latest")]
    [InlineData("semver,pattern={{version}}", "1.2.3, latest")]
    [InlineData("match,pattern=\\d.\\d.\\d", "1.2.3, latest")]
    [InlineData("ref,event=branch", "")]
    public void Notes_latest_tag_auto_types_v6_2_0(string entry, string tags)
    {
        TagRule rule = entry switch
        {
            "ref,event=tag" => new Ref(RefEvent.Tag),
            "semver,pattern={{version}}" => new Semver("{{version}}"),
            "match,pattern=\\d.\\d.\\d" => new TagRule.Match(@"\d.\d.\d"),
            _ => new Ref(RefEvent.Branch),
        };
        new Tags(rule).For(On("push tag", "refs/tags/v1.2.3")).Should().Equal(Split(tags));
    }

    // "Notes > Latest tag": type=raw,value=latest,enable={{is_default_branch}}.
    [Theory]
    [InlineData("refs/heads/master", "latest")]
    [InlineData("refs/heads/dev", "")]
    public void Notes_latest_tag_for_the_default_branch_v6_2_0(string fullRef, string tags) =>
        new Tags(new Raw("latest") { When = c => c.IsDefaultBranch }).For(On("push", fullRef)).Should().Equal(Split(tags));

    // "Notes > priority attribute": Attribute | Default priority.
    [Theory]
    [InlineData("schedule", 1000)]
    [InlineData("semver", 900)]
    [InlineData("match", 800)]
    [InlineData("edge", 700)]
    [InlineData("ref", 600)]
    [InlineData("raw", 200)]
    [InlineData("sha", 100)]
    public void Notes_priority_table_v6_2_0(string type, int priority) =>
        RuleOf(type).EffectivePriority.Should().Be(priority);

    // "Notes > priority attribute": "The higher the value, the higher the priority"; declared lowest first, they come out by the table.
    [Fact]
    public void Notes_priority_orders_the_tags_v6_2_0()
    {
        string[] types = ["sha", "raw", "ref", "edge", "match", "semver", "schedule"];
        var context = On("schedule", "refs/heads/master") with { Version = ImageVersion.Parse("1.2.3") };
        new Tags(types.Select(RuleOf).ToArray()) { Flavor = new TagFlavor { Latest = LatestMode.False } }.For(context)
            .Should().Equal("nightly", "1.2.3", "1.2.3-match", "edge", "master", "raw", "sha-860c190");
    }

    static TagRule RuleOf(string type) => type switch
    {
        "schedule" => new Schedule(),
        "semver" => new Semver("{{version}}"),
        "match" => new TagRule.Match(@"\d.\d.\d") { Suffix = "-match" },
        "edge" => new Edge(),
        "ref" => new Ref(RefEvent.Branch),
        "raw" => new Raw("raw"),
        _ => new TagRule.Sha(),
    };

    // "Global expressions": type=sha,prefix={{branch}}- and type=raw,value=mytag-{{branch}}-{{sha}}.
    [Fact]
    public void Global_expressions_examples_v6_2_0() =>
        NoLatest(new TagRule.Sha() { Prefix = "{{branch}}-" }, new Raw("mytag-{{branch}}-{{sha}}")).For(On("push", "refs/heads/master"))
            .Should().Equal("mytag-master-860c190", "master-860c190");

    // "Global expressions > {{branch}}": Event | Ref | Output (the README shows my/branch already sanitised).
    [Theory]
    [InlineData("pull_request", "refs/pull/2/merge", "")]
    [InlineData("push", "refs/heads/master", "master")]
    [InlineData("push", "refs/heads/my/branch", "my-branch")]
    [InlineData("push tag", "refs/tags/v1.2.3", "")]
    public void Global_branch_table_v6_2_0(string eventName, string fullRef, string output) =>
        NoLatest(new Raw("{{branch}}")).For(On(eventName, fullRef)).Should().Equal(Split(output));

    // "Global expressions > {{tag}}": Event | Ref | Output.
    [Theory]
    [InlineData("pull_request", "refs/pull/2/merge", "")]
    [InlineData("push", "refs/heads/master", "")]
    [InlineData("push", "refs/heads/my/branch", "")]
    [InlineData("push tag", "refs/tags/v1.2.3", "v1.2.3")]
    public void Global_tag_table_v6_2_0(string eventName, string fullRef, string output) =>
        On(eventName, fullRef).Expand("{{tag}}").Should().Be(output);

    // "Global expressions > {{sha}}": "Returns the short commit SHA ... (e.g., 90dd603)".
    [Fact]
    public void Global_sha_example_v6_2_0() =>
        (On("push", "refs/heads/master") with { Sha = "90dd6032fac8bda1b6c4436a2e65de27961ed071" }).Expand("{{sha}}")
            .Should().Be("90dd603");

    // "Global expressions > {{base_ref}}": Event | Ref | Output (for a tag push, the payload's base_ref).
    [Theory]
    [InlineData("pull_request", "refs/pull/2/merge", "master")]
    [InlineData("push", "refs/heads/master", "")]
    [InlineData("push", "refs/heads/my/branch", "")]
    [InlineData("push tag", "refs/tags/v1.2.3", "master")]
    public void Global_base_ref_table_v6_2_0(string eventName, string fullRef, string output) =>
        On(eventName, fullRef).Expand("{{base_ref}}").Should().Be(output);

    // "Global expressions > {{is_default_branch}}" and "{{is_not_default_branch}}".
    [Theory]
    [InlineData("push", "refs/heads/master", "true")]
    [InlineData("push", "refs/heads/my/branch", "false")]
    [InlineData("push tag", "refs/tags/v1.2.3", "false")]
    [InlineData("schedule", "refs/heads/dev", "true")] // meta.ts: a schedule "always trigger[s] for last commit on default branch"
    public void Global_is_default_branch_v6_2_0(string eventName, string fullRef, string output)
    {
        On(eventName, fullRef).Expand("{{is_default_branch}}").Should().Be(output);
        On(eventName, fullRef).Expand("{{is_not_default_branch}}").Should().Be(output == "true" ? "false" : "true");
    }

    // "Global expressions > {{date}}": Expression | Output example, at the instant each example shows.
    [Theory]
    [InlineData("{{date 'YYYYMMDD'}}", "2020-01-10T15:25:50Z", "20200110")]
    [InlineData("{{date 'dddd, MMMM Do YYYY, h:mm:ss a'}}", "2020-01-10T15:25:50Z", "Friday, January 10th 2020, 3:25:50 pm")]
    [InlineData("{{date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}", "2020-01-10T00:30:00Z", "20200110-093000")]
    public void Global_date_table_v6_2_0(string expression, string now, string output) =>
        (On("push", "refs/heads/master") with { Now = DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture) })
            .Expand(expression).Should().Be(output);

    // "Global expressions > {{commit_date}}": Expression | Output example; "It falls back to the current date if the
    // commit date is not available".
    [Theory]
    [InlineData("{{commit_date 'YYYYMMDD'}}", "2020-01-10T15:25:50Z", "20200110")]
    [InlineData("{{commit_date 'dddd, MMMM Do YYYY, h:mm:ss a'}}", "2020-01-10T15:25:50Z", "Friday, January 10th 2020, 3:25:50 pm")]
    [InlineData("{{commit_date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}", "2020-01-10T00:30:00Z", "20200110-093000")]
    public void Global_commit_date_table_v6_2_0(string expression, string commit, string output)
    {
        var at = DateTimeOffset.Parse(commit, System.Globalization.CultureInfo.InvariantCulture);
        (On("push", "refs/heads/master") with { CommitDate = at, Now = at.AddDays(3) }).Expand(expression).Should().Be(output);
        (On("push", "refs/heads/master") with { CommitDate = null, Now = at }).Expand(expression).Should().Be(output);
    }

    // "Notes > Major version zero": refs/tags/v0.1.2 with {{version}} ("output 0.1.2"), {{major}}.{{minor}} ("output 0.1")
    // and {{major}} with enable=${{ !startsWith(github.ref, 'refs/tags/v0.') }} ("disabled if major zero").
    [Fact]
    public void Notes_major_version_zero_v6_2_0() =>
        NoLatest(new Semver("{{version}}"), new Semver("{{major}}.{{minor}}"),
                new Semver("{{major}}") { When = c => c.GitTag?.StartsWith("v0.", StringComparison.Ordinal) != true })
            .For(On("push tag", "refs/tags/v0.1.2")).Should().Equal("0.1.2", "0.1");
}
