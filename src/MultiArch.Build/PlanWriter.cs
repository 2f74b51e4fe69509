using System.Text;

namespace MultiArch.Build;

/// <summary>Renders <c>--plan</c>: the execution order as text, and the graph as Mermaid (and an HTML page around it).</summary>
public static class PlanWriter
{
    /// <summary>The numbered order, with partitions and skips.</summary>
    public static string Text(IReadOnlyList<ExecutableTarget> plan, Func<ExecutableTarget, IReadOnlyList<Partition>> partitions,
        ISet<string> skip)
    {
        var text = new StringBuilder("Execution plan:\n");
        for (var i = 0; i < plan.Count; i++)
        {
            var t = plan[i];
            var cells = t.PartitionAxes.Count > 0
                ? $"  x{partitions(t).Count} [{string.Join(", ", partitions(t).Select(p => p.Key))}]" : "";
            text.AppendLine($"  {i + 1,2}. {t.Name}{cells}{(skip.Contains(t.Name) ? "  (skipped)" : "")}");
        }
        return text.ToString();
    }

    /// <summary>A Mermaid flowchart of every target: solid DependsOn, dashed After/Before, dotted Triggers; planned nodes
    /// highlighted.</summary>
    public static string Mermaid(TargetGraph graph, IReadOnlyList<ExecutableTarget> plan)
    {
        var text = new StringBuilder("flowchart LR\n");
        foreach (var t in graph.Targets.Where(t => !t.Unlisted || plan.Contains(t)))
            text.AppendLine($"  {t.Name}[\"{t.Name}"
                + $"{(t.PartitionAxes.Count > 0 ? $"<br/>per {string.Join(" x ", t.PartitionAxes)}" : "")}\"]");
        foreach (var (from, to, kind) in PlanSvg.Edges(graph))
            text.AppendLine($"  {from} {kind switch { PlanSvg.EdgeKind.Order => "-.->", PlanSvg.EdgeKind.Trigger => "==>", _ => "-->" }} "
                + to);
        text.AppendLine("  classDef planned fill:#d1f0d1,stroke:#2a7a2a");
        if (plan.Count > 0) text.AppendLine($"  class {string.Join(",", plan.Select(t => t.Name))} planned");
        return text.ToString();
    }

    /// <summary>
    /// A self-contained page: the graph drawn as inline SVG (<see cref="PlanSvg"/>), so it shows offline and in CI
    /// artifacts; the Mermaid source follows for pasting into a Markdown file or an issue.
    /// </summary>
    public static string Html(string svg, string mermaid, string title) => $$"""
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>{{System.Net.WebUtility.HtmlEncode(title)}}</title>
        <style>body { font-family: sans-serif; margin: 1.5em; } .graph { overflow-x: auto; }</style></head>
        <body>
        <h1>{{System.Net.WebUtility.HtmlEncode(title)}}</h1>
        <div class="graph">
        {{svg}}
        </div>
        <details><summary>Mermaid source</summary>
        <pre>
        {{System.Net.WebUtility.HtmlEncode(mermaid)}}
        </pre>
        </details>
        </body></html>
        """;
}
