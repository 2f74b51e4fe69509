using System.Text;
using System.Text.Json;
using MultiArch.Oci.Provenance;

namespace MultiArch.Oci.Tests.Provenance;

public sealed class ProvenanceStatementTests
{
    private static readonly Digest Image = Digest.Parse("sha256:" + new string('a', 64));
    private static readonly Digest Base = Digest.Parse("sha256:" + new string('b', 64));
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";

    private static ProvenanceInputs Inputs() => new(
        ImageReference.Parse("ghcr.io/acme/app"), Image, Platform.LinuxArm64, "src/app/Dockerfile", ".",
        "https://github.com/acme/app", Commit,
        "https://github.com/acme/app/.github/workflows/build.yml@refs/heads/main",
        "https://github.com/acme/app/actions/runs/42/attempts/1")
    {
        Workflow = ".github/workflows/build.yml",
        Ref = "refs/heads/main",
        BuildArgs = new Dictionary<string, string> { ["VERSION"] = "1.2.3", ["NPM_TOKEN"] = "npm_abc", ["URL"] = "https://u:hunter2@x" },
        SecretValues = ["hunter2"],
        BaseImages = [(ImageReference.Parse("docker.io/library/alpine:3.20"), Base)],
        StartedOn = new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.FromHours(1)),
        FinishedOn = new DateTimeOffset(2026, 12, 3, 11, 5, 0, TimeSpan.Zero),
    };

    [Fact]
    public void The_statement_has_the_in_toto_v1_and_slsa_v1_shape()
    {
        var json = Inputs().ToStatement().ToJson();

        StatementShape.Violations(json).Should().BeEmpty();
    }

    [Fact]
    public void The_shape_check_rejects_a_statement_missing_required_fields()
    {
        // Guards the check itself: a statement without subject digest or builder id must not pass.
        var json = """{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"x"}]""" +
            ""","predicateType":"https://slsa.dev/provenance/v1","predicate":""" +
            """{"buildDefinition":{"buildType":"t","externalParameters":{}}""" +
            ""","runDetails":{"builder":{}}}}""";

        StatementShape.Violations(Encoding.UTF8.GetBytes(json)).Should().BeEquivalentTo("digest is missing", "id is missing");
    }

    [Fact]
    public void Subject_dependencies_and_run_details_carry_the_build()
    {
        using var document = JsonDocument.Parse(Inputs().ToStatement().ToJson());
        var root = document.RootElement;

        var subject = root.GetProperty("subject")[0];
        subject.GetProperty("name").GetString().Should().Be("ghcr.io/acme/app");
        subject.GetProperty("digest").GetProperty("sha256").GetString().Should().Be(Image.Hex);
        var definition = root.GetProperty("predicate").GetProperty("buildDefinition");
        definition.GetProperty("buildType").GetString().Should().Be(ProvenanceInputs.BuildType);
        var parameters = definition.GetProperty("externalParameters");
        parameters.GetProperty("platform").GetString().Should().Be("linux/arm64");
        parameters.GetProperty("workflow").GetString().Should().Be(".github/workflows/build.yml");
        var dependencies = definition.GetProperty("resolvedDependencies");
        dependencies[0].GetProperty("uri").GetString().Should().Be("git+https://github.com/acme/app@refs/heads/main");
        dependencies[0].GetProperty("digest").GetProperty("gitCommit").GetString().Should().Be(Commit);
        dependencies[1].GetProperty("name").GetString().Should().Be("docker.io/library/alpine:3.20");
        dependencies[1].GetProperty("digest").GetProperty("sha256").GetString().Should().Be(Base.Hex);
        var run = root.GetProperty("predicate").GetProperty("runDetails");
        run.GetProperty("builder").GetProperty("id").GetString().Should().EndWith("build.yml@refs/heads/main");
        run.GetProperty("metadata").GetProperty("invocationId").GetString().Should().EndWith("runs/42/attempts/1");
        run.GetProperty("metadata").GetProperty("startedOn").GetString().Should().Be("2026-12-03T11:00:00Z");
    }

    [Fact]
    public void Secret_build_args_are_redacted_by_name_and_by_value()
    {
        var json = Inputs().ToStatement().ToJson();
        using var document = JsonDocument.Parse(json);
        var args = document.RootElement.GetProperty("predicate").GetProperty("buildDefinition")
            .GetProperty("externalParameters").GetProperty("buildArgs");

        args.GetProperty("VERSION").GetString().Should().Be("1.2.3");
        args.GetProperty("NPM_TOKEN").GetString().Should().Be(BuildArgRedaction.Marker);
        args.GetProperty("URL").GetString().Should().Be(BuildArgRedaction.Marker);
        var text = Encoding.UTF8.GetString(json);
        text.Should().NotContain("npm_abc").And.NotContain("hunter2");
    }

    [Fact]
    public void The_same_inputs_give_the_same_bytes_whatever_the_map_order()
    {
        var reordered = Inputs() with
        {
            BuildArgs = new Dictionary<string, string> { ["URL"] = "https://u:hunter2@x", ["VERSION"] = "1.2.3",
                ["NPM_TOKEN"] = "npm_abc" },
        };

        reordered.ToStatement().ToJson().Should().Equal(Inputs().ToStatement().ToJson());
        Encoding.UTF8.GetString(Inputs().ToStatement().ToJson()).Should()
            .StartWith("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":");
    }

    [Fact]
    public void A_statement_reads_back_equal()
    {
        var statement = Inputs().ToStatement();

        var read = InTotoStatement.Parse(statement.ToJson());

        read.ToJson().Should().Equal(statement.ToJson());
    }

    [Theory]
    [InlineData("abc123", "https://github.com/acme/app", "not a full git sha")]
    [InlineData(Commit, "acme/app", "source repository 'acme/app' is not an absolute URI")]
    public void Bad_inputs_are_named_in_one_line(string commit, string source, string message)
    {
        var act = () => (Inputs() with { Commit = commit, Source = source }).ToStatement();

        act.Should().Throw<OciInputException>().WithMessage($"*{message}*").Which.Message.Should().NotContain("\n");
    }
}
