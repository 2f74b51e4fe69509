using MultiArch.Testing;
using MultiArch.Build.Tests.Support;

namespace MultiArch.Build.Tests;

[Trait("Category", "Unit")]
public sealed class ComponentTests : EngineTest
{
    interface IPrepare : IBuild
    {
        Target Prepare => _ => _.Executes(() => Journal.Record("Prepare"));
    }

    interface IPackage : IBuild
    {
        [Parameter("Where the package goes")] string Feed => TryGetValue(() => Feed) ?? "local-feed";
        [Parameter("Package formats")] string[] Formats => TryGetValue(() => Formats) ?? ["zip"];

        Target Package => _ => _
            .Description("Packs the output")
            .DependsOn<IPrepare>()
            .Executes(() => Journal.Record($"Package to {Feed} as {string.Join("+", Formats)}"));
    }

    interface IPublish : IBuild
    {
        Target Publish => _ => _.DependsOn<IPackage>(x => x.Package).Executes(() => Journal.Record("Publish"));
    }

    sealed class ComponentBuild : TargetBuild, IPrepare, IPackage, IPublish;

    [Fact]
    public void A_default_target_of_a_component_needs_no_cast()
    {
        var output = new StringWriter();
        var options = new BuildRunOptions { Output = output, Environment = Environment, RootDirectory = Root };
        var journal = Journal.Start();

        var exit = TargetBuild.Execute<ComponentBuild, IPublish>([], options, x => x.Publish);

        exit.Should().Be(0, output.ToString());
        journal.Entries.Should().Equal("Prepare", "Package to local-feed as zip", "Publish");
    }

    [Fact]
    public void Component_targets_are_discovered_and_ordered()
    {
        var result = Run<ComponentBuild>("Publish");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Ran.Should().Equal("Prepare", "Package to local-feed as zip", "Publish");
    }

    [Fact]
    public void Component_parameters_read_through_TryGetValue_take_command_line_environment_and_file_values()
    {
        WriteParametersJson("""{ "Formats": ["tar", "zip"] }""");
        Environment["MULTIARCH_FEED"] = "https://feed.example";

        var result = Run<ComponentBuild>("Package");

        result.Ran.Should().Equal("Prepare", "Package to https://feed.example as tar+zip");
    }

    [Fact]
    public void Component_parameters_show_in_help_with_their_defaults()
    {
        var result = Run<ComponentBuild>("--help");

        result.ExitCode.Should().Be(0, result.ToString());
        Approval.Verify(result.Output, "component-build-help.txt");
    }

    // A downstream build overrides the component's target and keeps the base definition.
    sealed class OverridingBuild : TargetBuild, IPrepare, IPackage, IPublish
    {
        Target IPackage.Package => _ => _.Inherit<IPackage>().Executes(() => Journal.Record("Sign package"));
    }

    [Fact]
    public void Overriding_a_component_target_with_Inherit_runs_both_actions_and_keeps_dependencies()
    {
        var result = Run<OverridingBuild>("Publish");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Ran.Should().Equal("Prepare", "Package to local-feed as zip", "Sign package", "Publish");
    }

    [Fact]
    public void An_overridden_target_keeps_its_description()
    {
        var result = Run<OverridingBuild>("--help");

        result.ExitCode.Should().Be(0, result.ToString());
        Approval.Verify(result.Output, "overriding-build-help.txt");
    }

    // A downstream build puts its own target between two component targets.
    sealed class DownstreamBuild : TargetBuild, IPrepare, IPackage, IPublish
    {
        Target Scan => _ => _.DependsOn<IPackage>().DependentFor<IPublish>().Executes(() => Journal.Record("Scan"));
    }

    [Fact]
    public void A_downstream_target_runs_between_two_component_targets()
    {
        var result = Run<DownstreamBuild>("Publish");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Ran.Should().Equal("Prepare", "Package to local-feed as zip", "Scan", "Publish");
    }

    interface INotImplemented : IBuild
    {
        Target Orphan => _ => _;
    }

    sealed class MissingComponentBuild : TargetBuild, IPrepare
    {
        Target Uses => _ => _.DependsOn<INotImplemented>().Executes(() => { });
    }

    [Fact]
    public void Depending_on_a_component_the_build_does_not_implement_names_the_fix()
    {
        var result = Run<MissingComponentBuild>("Uses");

        result.ExitCode.Should().Be(1);
        result.Output.Should().Contain("Add INotImplemented to the build class's interfaces.");
    }

    interface ITwoTargets : IBuild
    {
        Target Lint => _ => _.Executes(() => Journal.Record("Lint"));
        Target Format => _ => _.Executes(() => Journal.Record("Format"));
    }

    sealed class AmbiguousComponentBuild : TargetBuild, ITwoTargets
    {
        Target Check => _ => _.DependsOn<ITwoTargets>().Executes(() => Journal.Record("Check"));
    }

    [Fact]
    public void Depending_on_a_component_with_several_targets_lists_them_instead_of_taking_all()
    {
        // Issue 16: DependsOn<T>() once silently depended on every target T declares.
        var result = Run<AmbiguousComponentBuild>("Check");

        result.ExitCode.Should().Be(1);
        result.Ran.Should().BeEmpty();
        result.Output.Should().Contain(
            "error: Target 'Check' DependsOn<ITwoTargets>(), but ITwoTargets declares 2 targets (Lint, Format). "
            + "Name one: DependsOn<ITwoTargets>(x => x.Lint).");
    }

    sealed class OptionalComponentBuild : TargetBuild, IPrepare
    {
        Target Ship => _ => _
            .TryDependsOn<IPrepare>()
            .TryDependsOn<INotImplemented>()
            .TryAfter<IPackage>()
            .Executes(() => Journal.Record("Ship"));
    }

    [Fact]
    public void Try_forms_name_an_optional_component_and_add_nothing_when_it_is_absent()
    {
        var result = Run<OptionalComponentBuild>("Ship");

        result.ExitCode.Should().Be(0, result.Output);
        result.Ran.Should().Equal("Prepare", "Ship");
    }

    sealed class WrongInheritBuild : TargetBuild, IPrepare, IPackage
    {
        Target Extra => _ => _.Inherit<IPrepare>().Executes(() => { });
    }

    [Fact]
    public void Inherit_from_a_component_without_that_target_names_the_fix()
    {
        var result = Run<WrongInheritBuild>("Extra");

        result.ExitCode.Should().Be(1);
        result.Output.Should().Contain("Target 'Extra' inherits from IPrepare, which declares no target 'Extra'.");
    }

    interface ISign : IBuild
    {
        [Parameter("Signing key"), Secret] string? SigningKey => TryGetValue(() => SigningKey);

        Target Sign => _ => _.Requires(() => SigningKey).Executes(() => Build.Log.Info($"signing with {SigningKey}"));
    }

    sealed class SigningBuild : TargetBuild, ISign;

    [Fact]
    public void A_component_parameter_can_be_required_and_secret()
    {
        var missing = Run<SigningBuild>("Sign");
        var given = Run<SigningBuild>("Sign", "--signing-key", "key-material-123");

        missing.ExitCode.Should().Be(1);
        missing.Output.Should().Contain(
            "Target 'Sign' needs parameter 'SigningKey': pass --signing-key <value>, set MULTIARCH_SIGNING_KEY");
        given.ExitCode.Should().Be(0, given.ToString());
        given.Output.Should().Contain("signing with ***").And.NotContain("key-material-123");
    }

    interface IOtherSign : IBuild
    {
        [Parameter("Another key")] string? SigningKey => TryGetValue(() => SigningKey);
    }

    sealed class ClashingParameterBuild : TargetBuild, ISign, IOtherSign;

    [Fact]
    public void The_same_parameter_name_in_two_components_is_an_error_naming_both()
    {
        var result = Run<ClashingParameterBuild>("Sign");

        result.ExitCode.Should().Be(1);
        result.Output.Should().Contain("Parameter 'SigningKey' is declared twice").And.Contain("ISign").And.Contain("IOtherSign");
    }

    interface IFlags : IBuild
    {
        [Parameter("Push the result")] bool Push => TryGetValue(() => Push);
        [Parameter("Retries")] int Retries => TryGetValue<int?>(() => Retries) ?? 3;

        Target Flags => _ => _.Executes(() => Journal.Record($"Push={Push} Retries={Retries}"));
    }

    sealed class FlagsBuild : TargetBuild, IFlags;

    [Fact]
    public void A_value_type_component_parameter_without_a_value_reads_as_its_default()
    {
        var absent = Run<FlagsBuild>("Flags");
        var given = Run<FlagsBuild>("Flags", "--push", "--retries", "5");

        absent.ExitCode.Should().Be(0, absent.ToString());
        absent.Ran.Should().Equal("Push=False Retries=3");
        given.Ran.Should().Equal("Push=True Retries=5");
    }
}
