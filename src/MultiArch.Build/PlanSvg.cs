using System.Globalization;
using System.Net;
using System.Text;

namespace MultiArch.Build;

/// <summary>
/// Draws the target graph as an SVG at plan time, so <c>plan.html</c> shows it offline: no script, no CDN. A layered
/// layout is enough for a build graph: a target's column is the longest DependsOn/After path to it, rows keep
/// declaration order, edges are drawn left to right (solid DependsOn, dashed After/Before, thick Triggers).
/// </summary>
public static class PlanSvg
{
    const int NodeWidth = 180, NodeHeight = 44, ColumnGap = 70, RowGap = 18, Margin = 16;
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The SVG document for the listed targets (all but unlisted ones, plus whatever is planned).</summary>
    public static string Render(TargetGraph graph, IReadOnlyList<ExecutableTarget> plan)
    {
        var nodes = graph.Targets.Where(t => !t.Unlisted || plan.Contains(t)).ToList();
        var names = nodes.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var edges = Edges(graph).Where(e => names.Contains(e.From) && names.Contains(e.To)).ToList();
        var column = Columns(nodes, edges);
        // Row: the target's place among those of its column, in declaration order.
        var rows = nodes.ToDictionary(t => t.Name,
            t => nodes.TakeWhile(n => n != t).Count(n => column[n.Name] == column[t.Name]), StringComparer.Ordinal);

        double X(string name) => Margin + column[name] * (NodeWidth + ColumnGap);
        double Y(string name) => Margin + rows[name] * (NodeHeight + RowGap);
        var width = Margin * 2 + (column.Values.DefaultIfEmpty(0).Max() + 1) * (NodeWidth + ColumnGap) - ColumnGap;
        var height = Margin * 2 + (rows.Values.DefaultIfEmpty(0).Max() + 1) * (NodeHeight + RowGap) - RowGap;

        var svg = new StringBuilder();
        svg.Append(Invariant, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" """)
            .Append(Invariant, $"""viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="13">""").Append('\n')
            .Append("""<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto">""")
            .Append("""<path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>""").Append('\n');
        foreach (var (from, to, kind) in edges)
        {
            var (x1, y1, x2, y2) = (X(from) + NodeWidth, Y(from) + NodeHeight / 2.0, X(to), Y(to) + NodeHeight / 2.0);
            if (column[from] >= column[to]) (x1, x2) = (X(from) + NodeWidth / 2.0, X(to) + NodeWidth / 2.0); // same column: a bow
            var bend = Math.Max(30, Math.Abs(x2 - x1) / 2);
            var style = kind is EdgeKind.Order ? """ stroke-dasharray="6 4" """ : kind is EdgeKind.Trigger ? """ stroke-width="3" """ : " ";
            svg.Append(Invariant, $"""<path class="edge {kind.ToString().ToLowerInvariant()}" """)
                .Append(Invariant, $"""d="M{x1:0.#},{y1:0.#} C{x1 + bend:0.#},{y1:0.#} {x2 - bend:0.#},{y2:0.#} {x2:0.#},{y2:0.#}" """)
                .Append(Invariant, $"""fill="none" stroke="#555"{style}marker-end="url(#arrow)"/>""").Append('\n');
        }
        foreach (var t in nodes)
        {
            var planned = plan.Contains(t);
            svg.Append(Invariant, $"""<g class="node{(planned ? " planned" : "")}" data-target="{WebUtility.HtmlEncode(t.Name)}">""")
                .Append(Invariant, $"""<rect x="{X(t.Name)}" y="{Y(t.Name)}" width="{NodeWidth}" height="{NodeHeight}" rx="6" """)
                .Append(Invariant, $"""fill="{(planned ? "#d1f0d1" : "#f4f4f4")}" stroke="{(planned ? "#2a7a2a" : "#999")}"/>""");
            var label = t.PartitionAxes.Count > 0 ? [t.Name, "per " + string.Join(" x ", t.PartitionAxes)] : new[] { t.Name };
            for (var i = 0; i < label.Length; i++)
                svg.Append(Invariant, $"""<text x="{X(t.Name) + NodeWidth / 2.0:0.#}" """)
                    .Append(Invariant, $"""y="{Y(t.Name) + NodeHeight / 2.0 + (i - (label.Length - 1) / 2.0) * 15 + 4:0.#}" """)
                    .Append(Invariant, $"""text-anchor="middle"{(i > 0 ? " font-size=\"11\" fill=\"#555\"" : "")}>""")
                    .Append(WebUtility.HtmlEncode(label[i])).Append("</text>");
            svg.Append("</g>\n");
        }
        return svg.Append("</svg>").ToString();
    }

    internal enum EdgeKind { DependsOn, Order, Trigger }

    // The edges both drawings use: DependsOn, After/Before (order only) and Triggers, per target in declaration order.
    internal static IEnumerable<(string From, string To, EdgeKind Kind)> Edges(TargetGraph graph)
    {
        foreach (var t in graph.Targets)
        {
            foreach (var d in t.DependsOn) yield return (d, t.Name, EdgeKind.DependsOn);
            foreach (var a in t.After) yield return (a, t.Name, EdgeKind.Order);
            foreach (var b in t.Before) yield return (t.Name, b, EdgeKind.Order);
            foreach (var tr in t.Triggers) yield return (t.Name, tr, EdgeKind.Trigger);
        }
    }

    // Longest path from a source over the ordering edges (the graph is acyclic: the planner refuses cycles). Triggers
    // point forward too, but are left out so a trigger back to an earlier stage does not stretch the picture.
    static Dictionary<string, int> Columns(List<ExecutableTarget> nodes, List<(string From, string To, EdgeKind Kind)> edges)
    {
        var column = nodes.ToDictionary(n => n.Name, _ => 0, StringComparer.Ordinal);
        var ordering = edges.Where(e => e.Kind != EdgeKind.Trigger).ToList();
        for (var pass = 0; pass < nodes.Count; pass++)
        {
            var changed = false;
            foreach (var (from, to, _) in ordering)
                if (column[to] < column[from] + 1) { column[to] = column[from] + 1; changed = true; }
            if (!changed) break;
        }
        return column;
    }
}
