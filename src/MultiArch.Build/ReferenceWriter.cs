using System.Reflection;
using System.Text;
using System.Xml.Linq;

namespace MultiArch.Build;

/// <summary>
/// Renders a Markdown reference page for one component interface of a build: its targets, parameters, settings hooks
/// and the members a build implements or may override. Read from the code and its XML documentation, so the page
/// cannot drift from what the component really declares.
/// </summary>
public static class ReferenceWriter
{
    /// <summary>The build's component interfaces that declare a target or a parameter, each worth a page; the engine's
    /// own (<see cref="IBuild"/>) are not components.</summary>
    public static IReadOnlyList<Type> Components(Type buildType, TargetGraph graph) => buildType.GetInterfaces()
        .Where(i => i.Assembly != typeof(ReferenceWriter).Assembly)
        .Where(i => graph.Targets.Any(t => t.DeclaringType == i) || graph.Parameters.Any(p => p.DeclaringType == i))
        .OrderBy(i => i.Name, StringComparer.Ordinal).ToList();

    /// <summary>The page for <paramref name="component"/>, as declared in <paramref name="graph"/>.</summary>
    public static string Markdown(TargetGraph graph, Type component, Func<ParameterInfo, string?> defaultOf)
    {
        var docs = XmlDocs.For(component.Assembly);
        var text = new StringBuilder($"# {component.Name}\n\n");
        if (docs.Summary(component) is { } summary) text.Append(summary).Append("\n\n");
        // The direct bases among the components of the same build that have a page.
        var pages = graph.Targets.Select(t => t.DeclaringType).Concat(graph.Parameters.Select(p => p.DeclaringType)).ToHashSet();
        var bases = component.GetInterfaces().Where(pages.Contains)
            .Where(i => !component.GetInterfaces().Any(j => j != i && pages.Contains(j) && j.GetInterfaces().Contains(i))).ToList();
        if (bases.Count > 0) text.Append($"Extends {string.Join(", ", bases.Select(b => $"[{b.Name}]({b.Name}.md)"))}.\n\n");

        var targets = graph.Targets.Where(t => t.DeclaringType == component).ToList();
        if (targets.Count > 0)
        {
            text.Append("## Targets\n\n| Target | What it does | Runs after | Runs per | Hands on (Produces) | Reads (Consumes) |\n")
                .Append("| --- | --- | --- | --- | --- | --- |\n");
            foreach (var t in targets)
                text.Append($"| `{t.Name}` | {Cell(t.Description)} | {List(t.DependsOn)} | ")
                    .Append(t.PartitionAxes.Count > 0 ? string.Join(" x ", t.PartitionAxes) : "once")
                    .Append($" | {List(t.Produces)} | {List(t.Consumes)} |\n");
            text.Append('\n');
        }

        var parameters = graph.Parameters.Where(p => p.DeclaringType == component).ToList();
        if (parameters.Count > 0)
        {
            text.Append("## Parameters\n\nEach comes from the command line, then the environment variable, then "
                + "`.nuke/parameters.json`, then the default.\n\n");
            text.Append("| Option | Environment | Type | Default | What it sets |\n| --- | --- | --- | --- | --- |\n");
            foreach (var p in parameters)
                text.Append($"| `{p.CliName}` | {(p.CommandLineOnly ? "command line only" : $"`{p.EnvironmentVariable}`")} | "
                    + $"{Cell(p.TypeText)} | {(p.IsSecret ? "secret" : defaultOf(p) is { Length: > 0 } d ? $"`{d}`" : "")} | "
                    + $"{Cell(p.Description)} |\n");
            text.Append('\n');
        }

        const BindingFlags declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        var members = component.GetProperties(declared)
            .Where(p => p.PropertyType != typeof(Target) && p.GetCustomAttribute<ParameterAttribute>() is null)
            .Where(p => p.GetMethod is { IsVirtual: true, IsFinal: false } get
                        && (get.IsPublic || get.IsFamily || get.IsAssembly || get.IsFamilyOrAssembly))
            .OrderBy(p => p.MetadataToken).ToList();
        var hooks = members.Where(p => p.PropertyType.IsGenericType
            && p.PropertyType.GetGenericTypeDefinition() == typeof(Configure<>)).ToList();
        if (hooks.Count > 0)
        {
            text.Append("## Settings hooks\n\nOverride one to change the settings the component builds, without overriding its "
                + "target.\n\n| Hook | Settings | What it configures |\n| --- | --- | --- |\n");
            foreach (var h in hooks)
                text.Append($"| `{h.Name}` | `{h.PropertyType.GetGenericArguments()[0].Name}` | {Cell(docs.Summary(h))} |\n");
            text.Append('\n');
        }
        var rest = members.Except(hooks).ToList();
        if (rest.Count > 0)
        {
            text.Append("## Members a build implements or overrides\n\n| Member | Type | | What it is |\n| --- | --- | --- | --- |\n");
            foreach (var m in rest)
                text.Append($"| `{m.Name}` | `{TypeName(m.PropertyType)}` | {(m.GetMethod!.IsAbstract ? "required" : "optional")} | "
                    + $"{Cell(docs.Summary(m))} |\n");
            text.Append('\n');
        }
        return text.ToString().TrimEnd() + "\n";
    }

    static string List(IReadOnlyList<string> items) => items.Count == 0 ? "" : string.Join(", ", items.Select(i => $"`{i}`"));

    // One table cell: one line, and a pipe would end the cell.
    static string Cell(string? text) => string.Join(' ', (text
        ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).Replace("|", "\\|");

    static string TypeName(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>"
        : Nullable.GetUnderlyingType(type) is { } inner ? TypeName(inner) + "?" : type.Name;

    // The compiler's XML documentation file next to the assembly: summaries as plain text, <c>x</c> as `x`.
    sealed class XmlDocs(Dictionary<string, string> summaries)
    {
        public static XmlDocs For(Assembly assembly)
        {
            var path = Path.ChangeExtension(assembly.Location, ".xml");
            if (!File.Exists(path)) return new([]);
            var members = XDocument.Load(path).Descendants("member")
                .Select(m => (Name: (string?)m.Attribute("name"), Summary: m.Element("summary")))
                .Where(m => m.Name is not null && m.Summary is not null);
            var summaries = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, summary) in members) summaries[name!] = Plain(summary!);
            return new(summaries);
        }

        public string? Summary(Type type) => summaries.GetValueOrDefault("T:" + type.FullName);
        public string? Summary(PropertyInfo property) =>
            summaries.GetValueOrDefault($"P:{property.DeclaringType!.FullName}.{property.Name}");

        static string Plain(XElement element) => string.Join(" ", string.Concat(element.Nodes().Select(n => n switch
        {
            XText t => t.Value,
            XElement { Name.LocalName: "c" } c => $"`{c.Value}`",
            XElement { Name.LocalName: "see" or "seealso" } see =>
                $"`{((string?)see.Attribute("cref") ?? (string?)see.Attribute("langword") ?? "").Split(':', 2)[^1].Split('.')[^1]}`",
            XElement e => Plain(e),
            _ => "",
        })).Split((char[])['\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries));
    }
}
