using MultiArch.Oci.Tagging;
using static MultiArch.Oci.Tagging.TagRule;

namespace MultiArch.Oci.Tests.Tagging;

// What metadata-action's README states only in words (flavor, latest, prefix/suffix) checked against its
// src/meta.ts at v6.2.0, the default that keeps MultiArch's tags as they were, and the errors for unusable tags.
[Trait("Category", "Unit")]
public sealed class TagsTests
{
    const string Sha = "0123456789abcdef0123456789abcdef01234567";

    static TagContext Tag(string name) => new() { Ref = new GitRef.Tag(name), Sha = Sha, DefaultBranch = "main" };
    static TagContext Branch(string name) => new() { Ref = new GitRef.Branch(name), Sha = Sha, DefaultBranch = "main" };

    [Fact]
    public void The_default_is_the_version_its_floating_tags_latest_then_sha_on_every_event()
    {
        var release = new TagContext { Version = ImageVersion.Parse("v1.4.0"), Sha = Sha };
        Tags.Default.For(release).Should().Equal("1.4.0", "1.4", "1", "latest", "sha-0123456");
        // The ref does not change today's tags: the version decides them.
        Tags.Default.For(release with { Event = TagEvent.PullRequest, Ref = new GitRef.PullRequest(7) }).Should().Equal("1.4.0",
            "1.4", "1", "latest", "sha-0123456");
        Tags.Default.For(release with { Version = ImageVersion.Parse("1.5.0-rc.1") }).Should().Equal("1.5.0-rc.1", "sha-0123456");
        Tags.Default.For(release with { Version = ImageVersion.Parse("dev"), Sha = null }).Should().Equal("dev");
    }

    [Fact]
    public void The_default_on_a_tag_whose_text_differs_from_the_version_follows_the_version()
    {
        // --version 2.0.0 on a commit tagged v1.0.0: the version wins, as it did before tag rules.
        Tags.Default.For(Tag("v1.0.0") with { Version = ImageVersion.Parse("2.0.0") }).Should().Equal("2.0.0", "2.0", "2",
            "latest", "sha-0123456");
    }

    [Fact]
    public void Semver_raw_keeps_the_git_tag_when_the_version_is_that_tag() =>
        new Tags(new Semver("{{raw}}")) { Flavor = new TagFlavor { Latest = LatestMode.False } }
            .For(Tag("v1.2.3") with { Version = ImageVersion.Parse("v1.2.3") }).Should().Equal("v1.2.3");

    // meta.ts setVersion: the first tag a rule gives decides latest under auto; later rules do not change it.
    [Fact]
    public void Under_latest_auto_the_first_tag_decides()
    {
        new Tags(new Ref(RefEvent.Tag), new Ref(RefEvent.Branch)).For(Tag("v2.0.8-beta.67")).Should().Equal("v2.0.8-beta.67", "latest");
        new Tags(new Semver("{{version}}"),
            new Ref(RefEvent.Tag)).For(Tag("v2.0.8-beta.67")).Should().Equal("2.0.8-beta.67", "v2.0.8-beta.67");
    }

    [Theory]
    [InlineData(LatestMode.True, "refs/heads/dev", "dev, latest")]
    [InlineData(LatestMode.False, "refs/tags/v1.2.3", "v1.2.3")]
    [InlineData(LatestMode.Auto, "refs/heads/dev", "dev")]
    public void Flavor_latest_modes(LatestMode mode, string fullRef, string tags) =>
        new Tags(new Ref(RefEvent.Branch), new Ref(RefEvent.Tag)) { Flavor = new TagFlavor { Latest = mode } }
            .For(new TagContext { Ref = GitRef.Parse(fullRef) }).Should().Equal(tags.Split(", "));

    [Fact]
    public void No_tag_means_no_latest_even_when_forced() =>
        new Tags(new Ref(RefEvent.Pr)) { Flavor = new TagFlavor { Latest = LatestMode.True } }.For(Branch("main")).Should().BeEmpty();

    // meta.ts setValue: a rule's prefix (even pr-'s and sha-'s defaults) replaces the flavor's; latest takes it only with onlatest.
    [Fact]
    public void Flavor_prefix_and_suffix_apply_where_a_rule_sets_none()
    {
        var flavor = new TagFlavor { Prefix = "alpine-", Suffix = "-slim" };
        new Tags(new Ref(RefEvent.Tag), new TagRule.Sha(), new Raw("x") { Prefix = "" }) { Flavor = flavor }.For(Tag("v1.2.3"))
            .Should().Equal("alpine-v1.2.3-slim", "x-slim", "sha-0123456-slim", "latest");
        new Tags(new Ref(RefEvent.Tag)) { Flavor = flavor with { PrefixLatest = true, SuffixLatest = true } }.For(Tag("v1.2.3"))
            .Should().Equal("alpine-v1.2.3-slim", "alpine-latest-slim");
    }

    [Fact]
    public void Lowercase_is_a_flavor_choice_not_metadata_action_s_default()
    {
        new Tags(new Ref(RefEvent.Branch)).For(Branch("Feature/ABC")).Should().Equal("Feature-ABC");
        new Tags(new Ref(RefEvent.Branch)) { Flavor = new TagFlavor { Lowercase = true } }.For(Branch("Feature/ABC"))
            .Should().Equal("feature-abc");
    }

    [Fact]
    public void Equal_priorities_keep_their_declared_order_and_priority_overrides_it() =>
        new Tags(new Raw("a"), new Raw("b"), new Raw("c") { Priority = 201 }).For(Branch("main")).Should().Equal("c", "a", "b");

    [Fact]
    public void Extra_tags_are_validated_not_sanitised_and_come_last()
    {
        new Tags(new Raw("a")).For(Branch("main"), ["z", "a"]).Should().Equal("a", "z");
        FluentActions.Invoking(() =>
            new Tags(new Raw("a")).For(Branch("main"), ["a b"])).Should().Throw<OciInputException>().WithMessage("Extra tag 'a b'*");
    }

    [Theory]
    [InlineData("-draft", "Tag rule Ref(Branch) gives '-draft', which starts with '-'*Prefix*")]
    [InlineData(".hidden", "Tag rule Ref(Branch) gives '.hidden', which starts with '.'*Prefix*")]
    public void A_tag_that_cannot_start_so_names_the_rule_and_the_fix(string branch, string message) =>
        FluentActions.Invoking(() =>
            new Tags(new Ref(RefEvent.Branch)).For(Branch(branch))).Should().Throw<OciInputException>().WithMessage(message);

    [Fact]
    public void A_prefix_makes_such_a_branch_usable() =>
        new Tags(new Ref(RefEvent.Branch) { Prefix = "b" }).For(Branch("-draft")).Should().Equal("b-draft");

    [Fact]
    public void A_tag_over_128_characters_names_the_rule_and_the_fix()
    {
        var act = () => new Tags(new Ref(RefEvent.Branch) { Suffix = "-linux" }).For(Branch(new string('b', 125)));
        var message = act.Should().Throw<OciInputException>().Which.Message;
        message.Should().StartWith("Tag rule Ref(Branch) gives a tag of 131 characters").And.Contain("at most 128").And.Contain("shorten");
        message.Should().NotContain("\n");
        new Tags(new Ref(RefEvent.Branch)).For(Branch(new string('b', 128))).Single().Length.Should().Be(128);
    }

    [Theory]
    [InlineData("{{commit}}", "Tag rule Raw(\"{{commit}}\"): '{{commit}}' is no expression here*{{branch}}*")]
    [InlineData("{{date 'YYYYMMDD' tz='Mars/Olympus'}}", "*time zone 'Mars/Olympus' is unknown*IANA*")]
    [InlineData("{{date 'YYYY-Q'}}", "*date format 'YYYY-Q' has 'Q'*")]
    [InlineData("{{date}}", "*takes one quoted moment format*")]
    [InlineData("{{branch", "*malformed expression*")]
    public void A_bad_expression_is_refused_in_one_line(string value, string message) =>
        FluentActions.Invoking(() => new Tags(new Raw(value)).For(Branch("main"))).Should().Throw<OciInputException>().WithMessage(message);

    [Fact]
    public void A_bad_semver_pattern_names_the_known_parts() =>
        FluentActions.Invoking(() => new Tags(new Semver("{{build}}")).For(Tag("v1.2.3"))).Should().Throw<OciInputException>()
            .WithMessage("Tag rule Semver(\"{{build}}\")*{{raw}}, {{version}}, {{major}}, {{minor}} or {{patch}}*");

    [Fact]
    public void A_sha_that_is_no_commit_is_refused() =>
        FluentActions.Invoking(() => new Tags(new TagRule.Sha()).For(new TagContext { Sha = "xyz" })).Should().Throw<OciInputException>()
            .WithMessage("Revision 'xyz' is not a commit SHA*");

    [Theory]
    [InlineData("refs/heads/release/1.x", "Branch", "release/1.x")]
    [InlineData("refs/tags/v1.2.3", "Tag", "v1.2.3")]
    [InlineData("refs/pull/42/merge", "PullRequest", "42")]
    public void Git_refs_parse_into_their_kind(string fullRef, string kind, string value)
    {
        var parsed = GitRef.Parse(fullRef);
        parsed.GetType().Name.Should().Be(kind);
        (parsed switch { GitRef.Branch b => b.Name, GitRef.Tag t => t.Name, GitRef.PullRequest p =>
            p.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), _ => "" })
            .Should().Be(value);
    }

    [Fact]
    public void A_ref_of_another_form_is_refused() =>
        FluentActions.Invoking(() => GitRef.Parse("refs/remotes/origin/main")).Should().Throw<OciInputException>()
            .WithMessage("Git ref 'refs/remotes/origin/main'*refs/heads/<branch>*");

    [Fact]
    public void The_github_context_reads_the_event_ref_sha_and_the_payload_s_default_branch()
    {
        var payload = Path.GetTempFileName();
        try
        {
            File.WriteAllText(payload, """{"repository":{"default_branch":"trunk"},"number":42}""");
            var context = TagContext.FromGitHub(new Dictionary<string, string>
            {
                ["GITHUB_EVENT_NAME"] = "pull_request",
                ["GITHUB_REF"] = "refs/pull/42/merge",
                ["GITHUB_SHA"] = Sha,
                ["GITHUB_BASE_REF"] = "trunk",
                ["GITHUB_EVENT_PATH"] = payload,
            });
            context.Should().BeEquivalentTo(new { Event = TagEvent.PullRequest, Ref = new GitRef.PullRequest(42), Sha,
                DefaultBranch = "trunk", BaseRef = "trunk" });
            new Tags(new Ref(RefEvent.Pr), new Edge()).For(context).Should().Equal("pr-42");
        }
        finally { File.Delete(payload); }
    }

    [Fact]
    public void Outside_actions_the_github_context_knows_nothing() =>
        TagContext.FromGitHub(new Dictionary<string,
            string>()).Should().BeEquivalentTo(new { Event = TagEvent.Push, Ref = (GitRef?)null, Sha = (string?)null,
            DefaultBranch = (string?)null });
}
