namespace MultiArch.Provisioning.Tests;

// The runner's rules, with steps whose state the test sets: one line per step, missing things gathered into one
// error with the fix, provided things checked again, and steps that need a missing one not tried.
[Trait("Category", "Unit")]
public sealed class ProvisionerTests
{
    sealed class Toggle(string name, bool present, bool needsRoot = true, params string[] needs) : ProvisioningStep
    {
        public bool Present { get; private set; } = present;
        public int Provided { get; private set; }
        public override string Name => name;
        public override bool NeedsRoot => needsRoot;
        public override IReadOnlyList<string> Needs => needs;
        public override Task<StepCheck> CheckAsync(ProvisioningContext context, CancellationToken cancellationToken) =>
            Task.FromResult(Present ? StepCheck.Ok($"{name} found") : StepCheck.Lacks($"the {name}"));
        public override Task<string> ProvideAsync(ProvisioningContext context, StepCheck missing, CancellationToken cancellationToken)
        {
            Provided++;
            Present = true;
            return Task.FromResult($"started {name}");
        }
    }

    static readonly ProvisioningPolicy RootOnDebian = new(true, true, "debian", "sudo ./build.sh LocalServices");

    [Fact]
    public async Task With_provisioning_off_every_missing_service_is_one_line_with_the_command_that_fixes_it()
    {
        var log = new List<string>();
        var engine = new Toggle("engine", present: false);
        var registry = new Toggle("registry", present: false, needsRoot: false);
        var context = new ProvisioningContext(RootOnDebian with { Enabled = false }, log.Add);

        var run = () => Provisioner.RunAsync([engine, new Toggle("binfmt", present: true), registry], context, default);

        var error = (await run.Should().ThrowAsync<ProvisioningException>()).Which.Message;
        error.Should().Be("Missing the engine, the registry; provisioning is off (--no-provision): run `sudo ./build.sh LocalServices`.");
        error.Should().NotContain("\n");
        engine.Provided.Should().Be(0);
        registry.Provided.Should().Be(0);
        log.Should().HaveCount(3).And.Contain(l => l.StartsWith("binfmt") && l.Contains("binfmt found"));
    }

    [Fact]
    public async Task As_root_on_Debian_a_missing_service_is_provided_once_then_found()
    {
        var log = new List<string>();
        var engine = new Toggle("engine", present: false);
        await Provisioner.RunAsync([engine], new ProvisioningContext(RootOnDebian, log.Add), default);
        await Provisioner.RunAsync([engine], new ProvisioningContext(RootOnDebian, log.Add), default);

        engine.Provided.Should().Be(1, "a second run finds it and does nothing");
        log.Should().SatisfyRespectively(
            first => first.Should().MatchRegex(@"^engine +started engine \[\d+\.\ds\]$"),
            second => second.Should().MatchRegex(@"^engine +engine found \[\d+\.\ds\]$"));
    }

    [Fact]
    public async Task Not_root_a_step_needing_root_is_reported_while_one_that_does_not_is_still_provided()
    {
        var engine = new Toggle("engine", present: false);
        var npm = new Toggle("npm packages", present: false, needsRoot: false);
        var context = new ProvisioningContext(RootOnDebian with { IsRoot = false }, _ => { });

        var run = () => Provisioner.RunAsync([engine, npm], context, default);

        (await run.Should().ThrowAsync<ProvisioningException>()).Which.Message
            .Should().Be("Missing the engine; not running as root: run `sudo ./build.sh LocalServices`.");
        npm.Provided.Should().Be(1);
    }

    [Fact]
    public async Task A_step_that_needs_a_missing_one_is_not_checked()
    {
        var log = new List<string>();
        var registry = new Toggle("registry", present: false);
        var image = new Toggle("base image", present: false, needsRoot: true, "registry");
        var run = () => Provisioner.RunAsync([registry, image],
            new ProvisioningContext(RootOnDebian with { Enabled = false }, log.Add), default);

        (await run.Should().ThrowAsync<ProvisioningException>()).Which.Message.Should().StartWith("Missing the registry;");
        log.Should().Contain(l => l.StartsWith("base image") && l.Contains("not checked: needs registry"));
    }

    [Theory]
    [InlineData("ID=debian\nVERSION_ID=\"12\"\n", true)]
    [InlineData("ID=ubuntu\nID_LIKE=debian\n", true)]
    [InlineData("ID=linuxmint\nID_LIKE=\"ubuntu debian\"\n", true)]
    [InlineData("ID=fedora\nID_LIKE=\"rhel centos\"\n", false)]
    public void Only_Debian_and_its_derivatives_install_with_apt(string osRelease, bool debianFamily)
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, osRelease);
        try
        {
            var policy = ProvisioningPolicy.ForThisMachine(enabled: true, "sudo ./build.sh LocalServices", file) with { IsRoot = true };
            policy.IsDebianFamily.Should().Be(debianFamily);
            var why = policy.WhyNot(new Toggle("engine", present: false));
            if (debianFamily) why.Should().BeNull();
            else why.Should().Contain("not Debian or Ubuntu");
        }
        finally { File.Delete(file); }
    }
}
