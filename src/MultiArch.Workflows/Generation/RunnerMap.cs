namespace MultiArch.Workflows;

/// <summary>
/// Which runner builds which platform. Rules are platform patterns (a trailing <c>*</c> matches the rest); the
/// first match wins and anything unmatched runs emulated on the fallback. <see cref="Default"/>: linux/amd64 on
/// <c>ubuntu-24.04</c>, linux/arm64 and linux/arm/* natively on <c>ubuntu-24.04-arm</c>, the rest on
/// <c>ubuntu-24.04</c> with QEMU. Labels name the OS release (not <c>ubuntu-latest</c>) so x64 and arm64 legs build on the
/// same Ubuntu, as Docker's github-builder does. <c>ubuntu-24.04-arm</c> is offered to public repositories only
/// (https://docs.github.com/en/actions/reference/runners/github-hosted-runners,
/// https://github.blog/changelog/2025-08-07-arm64-hosted-runners-for-public-repositories-are-now-generally-available/):
/// private repositories use <see cref="X64WithQemu"/> or their own larger-runner labels.
/// </summary>
public sealed class RunnerMap
{
    readonly IReadOnlyList<(string Pattern, Runner Runner)> _rules;

    RunnerMap(IReadOnlyList<(string, Runner)> rules, Runner fallback)
    {
        _rules = rules;
        Fallback = fallback;
    }

    /// <summary>The runner for platforms no rule matches (emulated).</summary>
    public Runner Fallback { get; }

    /// <summary>The x64 hosted runner label.</summary>
    public const string X64Label = "ubuntu-24.04";

    /// <summary>The arm64 hosted runner label (public repositories only).</summary>
    public const string Arm64Label = "ubuntu-24.04-arm";

    /// <summary>GitHub's hosted runners: native amd64 and arm, QEMU for the rest.</summary>
    public static RunnerMap Default { get; } = new(
    [
        ("linux/amd64", new Runner(X64Label)),
        ("linux/arm64", new Runner(Arm64Label)),
        // AArch32 at EL0 runs natively on the hosted arm64 runners' Neoverse cores; the leg probes it (see DockerWorkflowSteps).
        ("linux/arm/*", new Runner(Arm64Label)),
    ], new Runner(X64Label, Emulated: true));

    /// <summary>Everything on the x64 runner, every non-amd64 platform under QEMU: for private repositories.</summary>
    public static RunnerMap X64WithQemu { get; } = new([("linux/amd64", new Runner(X64Label))], new Runner(X64Label, Emulated: true));

    /// <summary>A map with one more rule, checked before the existing ones: <c>RunnerMap.Default.With("linux/arm64",
    /// "self-hosted-arm")</c>.</summary>
    public RunnerMap With(string platformPattern, string label, bool emulated = false)
    {
        if (string.IsNullOrWhiteSpace(platformPattern) || string.IsNullOrWhiteSpace(label))
            throw new WorkflowDefinitionException($"Runner rule '{platformPattern}' -> '{label}' needs both a platform pattern and a "
                + $"runner label.");
        return new RunnerMap([(platformPattern, new Runner(label, emulated)), .. _rules], Fallback);
    }

    /// <summary>A map whose unmatched platforms run (emulated) on <paramref name="label"/>.</summary>
    public RunnerMap WithFallback(string label) => new(_rules, new Runner(label, Emulated: true));

    /// <summary>The runner for a platform such as <c>linux/arm/v7</c>.</summary>
    public Runner For(string platform) =>
        _rules.FirstOrDefault(r => Matches(r.Pattern, platform)).Runner ?? Fallback;

    static bool Matches(string pattern, string platform) => pattern.EndsWith('*')
        ? platform.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase)
        : string.Equals(pattern, platform, StringComparison.OrdinalIgnoreCase);
}
