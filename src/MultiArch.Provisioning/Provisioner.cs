using System.Diagnostics;

namespace MultiArch.Provisioning;

/// <summary>
/// Runs steps in order, one line each (what it found or did, and its time). A step that finds something missing
/// provides it when the policy allows; when it may not, the run goes on checking, and at the end everything
/// missing is reported together, in one line with the one command that fixes it.
/// </summary>
public static class Provisioner
{
    /// <summary>Checks, and provides what is missing where allowed.</summary>
    /// <exception cref="ProvisioningException">Something is missing that this run may not provide, or a step failed.</exception>
    public static async Task RunAsync(IEnumerable<ProvisioningStep> steps, ProvisioningContext context, CancellationToken cancellationToken)
    {
        var missing = new List<(ProvisioningStep Step, string What, string Why)>();
        foreach (var step in steps)
        {
            var clock = Stopwatch.StartNew();
            if (step.Needs.FirstOrDefault(n => missing.Any(m => m.Step.Name == n)) is { } unmet)
            {
                context.Log($"{step.Name,-16} not checked: needs {unmet} [{Seconds(clock)}]");
                continue;
            }
            var check = await step.CheckAsync(context, cancellationToken);
            if (check.Satisfied)
            {
                context.Log($"{step.Name,-16} {check.Found} [{Seconds(clock)}]");
                continue;
            }
            if (context.Policy.WhyNot(step) is { } why)
            {
                missing.Add((step, check.Missing!, why));
                context.Log($"{step.Name,-16} missing: {check.Missing} [{Seconds(clock)}]");
                continue;
            }
            string done;
            try { done = await step.ProvideAsync(context, check, cancellationToken); }
            catch (ProvisioningException e) { throw new ProvisioningException($"{step.Name}: {e.Message}"); }
            var after = await step.CheckAsync(context, cancellationToken);
            if (!after.Satisfied)
                throw new ProvisioningException($"{step.Name}: {done}, yet {after.Missing} is still missing.");
            context.Log($"{step.Name,-16} {done} [{Seconds(clock)}]");
        }
        if (missing.Count == 0) return;
        // One reason is enough when they agree (the usual case: --no-provision, or not root).
        var reasons = string.Join("; ", missing.Select(m => m.Why).Distinct());
        throw new ProvisioningException(
            $"Missing {string.Join(", ", missing.Select(m => m.What))}; {reasons}: run `{context.Policy.FixCommand}`.");
    }

    static string Seconds(Stopwatch clock) => $"{clock.Elapsed.TotalSeconds:0.0}s";
}
