using System.Text.Json;
using System.Text.Json.Nodes;

namespace MultiArch.Build;

/// <summary>Writes <c>.nuke/build.schema.json</c> so editors complete parameters.json; only when it would change.</summary>
public static class SchemaWriter
{
    /// <summary>The schema text for these parameters.</summary>
    public static string Render(IReadOnlyList<ParameterInfo> parameters)
    {
        var properties = new JsonObject { ["$schema"] = new JsonObject { ["type"] = "string" } };
        foreach (var p in parameters.Where(p => !p.CommandLineOnly)) properties[p.Name] = Describe(p.Type, p.Description);
        var schema = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
            ["title"] = "Build parameters",
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["properties"] = properties,
        };
        return schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>Writes the schema when its content differs; returns whether it wrote.</summary>
    public static bool WriteIfChanged(AbsolutePath file, IReadOnlyList<ParameterInfo> parameters)
    {
        var text = Render(parameters);
        if (file.FileExists() && File.ReadAllText(file) == text) return false;
        Directory.CreateDirectory(file.Parent);
        File.WriteAllText(file, text);
        return true;
    }

    static JsonObject Describe(Type type, string? description)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        var node = t.IsArray ? new JsonObject { ["type"] = "array", ["items"] = Describe(t.GetElementType()!, null) }
            : t == typeof(bool) ? new JsonObject { ["type"] = "boolean" }
            : t == typeof(int) || t == typeof(long) ? new JsonObject { ["type"] = "integer" }
            : t == typeof(double) ? new JsonObject { ["type"] = "number" }
            : t.IsEnum ? new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. Enum.GetNames(t).Select(n => (JsonNode)n)]) }
            : new JsonObject { ["type"] = "string" };
        if (description is not null) node["description"] = description;
        return node;
    }
}
