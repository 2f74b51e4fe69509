using System.Text;

namespace MultiArch.Build;

/// <summary>Renders <c>--help</c>: targets with descriptions and dependencies, then parameters and their sources.</summary>
public static class HelpWriter
{
    /// <summary>The help text.</summary>
    public static string Write(TargetGraph graph, ParameterSnapshot values, string buildName, Func<ParameterInfo, string?> defaultOf,
        IReadOnlyList<string>? profiles = null)
    {
        var text = new StringBuilder();
        text.AppendLine($"{buildName}: ./build.sh [targets] [--parameter value ...]");
        text.AppendLine();
        text.AppendLine("Targets (default marked *):");
        var targets = graph.Targets.Where(t => !t.Unlisted).ToList();
        var width = targets.Select(t => t.Name.Length).DefaultIfEmpty(0).Max() + 2;
        foreach (var t in targets)
        {
            var line = $"  {(t.IsDefault ? "*" : " ")} {t.Name.PadRight(width)}{t.Description}";
            var details = new List<string>();
            if (t.DependsOn.Count > 0) details.Add("after " + string.Join(", ", t.DependsOn));
            if (t.PartitionAxes.Count > 0) details.Add("per " + string.Join(" x ", t.PartitionAxes));
            if (t.Triggers.Count > 0) details.Add("triggers " + string.Join(", ", t.Triggers));
            text.AppendLine(details.Count == 0 ? line : $"{line}  ({string.Join("; ", details)})");
        }
        text.AppendLine();
        text.AppendLine("Parameters (command line, then environment variable, then .nuke/parameters.json, then default):");
        var parameters = graph.Parameters.Select(p => (p, Left: p.TypeText == "bool" ? p.CliName : $"{p.CliName} <{p.TypeText}>")).ToList();
        var left = parameters.Select(p => p.Left.Length).DefaultIfEmpty(0).Max() + 2;
        foreach (var (p, l) in parameters)
        {
            var facts = new List<string>();
            if (!p.CommandLineOnly) facts.Add("env " + p.EnvironmentVariable);
            if (values[p] is { Problem: not null } bad) facts.Add($"invalid value from {bad.Where}");
            if (p.IsSecret) facts.Add("secret");
            else if (defaultOf(p) is { Length: > 0 } d && !(p.TypeText == "bool" && d == "false")) facts.Add("default " + d);
            text.AppendLine($"  {l.PadRight(left)}{p.Description}{(facts.Count > 0 ? $" [{string.Join("; ", facts)}]" : "")}");
        }
        if (profiles is { Count: > 0 })
        {
            text.AppendLine();
            text.AppendLine("Profiles (--profile <name> layers .nuke/parameters.<name>.json over parameters.json): "
                + string.Join(", ", profiles));
        }
        return text.ToString();
    }
}
