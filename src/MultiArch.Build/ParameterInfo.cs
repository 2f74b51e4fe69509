using System.Reflection;

namespace MultiArch.Build;

/// <summary>A parameter as help, the schema and the CI generator see it.</summary>
public sealed class ParameterInfo
{
    internal ParameterInfo(MemberInfo member, ParameterAttribute attribute, bool isSecret)
    {
        Member = member;
        Name = attribute.Name ?? member.Name;
        Description = attribute.Description;
        CommandLineOnly = attribute.CommandLineOnly;
        IsSecret = isSecret;
        Type = member switch { FieldInfo f => f.FieldType, PropertyInfo p => p.PropertyType, _ => typeof(string) };
        CliName = "--" + Words(Name, '-').ToLowerInvariant();
        EnvironmentVariable = attribute.Environment ?? EnvironmentPrefix + Words(Name, '_').ToUpperInvariant();
    }

    /// <summary>The member name, e.g. <c>DigestsDirectory</c>; also the key in parameters.json.</summary>
    public string Name { get; }
    /// <summary>The command-line form, e.g. <c>--digests-directory</c>.</summary>
    public string CliName { get; }
    /// <summary>
    /// What every environment name starts with unless <see cref="ParameterAttribute.Environment"/> names one: a plain
    /// VERSION or PLATFORM is too often set for something else (a shell, Makefile, a Visual Studio prompt).
    /// </summary>
    public const string EnvironmentPrefix = "MULTIARCH_";

    /// <summary>The exact environment variable read, e.g. <c>MULTIARCH_DIGESTS_DIRECTORY</c>, or <c>GITHUB_TOKEN</c>
    /// when the parameter opts out with <c>[Parameter(Environment = "GITHUB_TOKEN")]</c>.</summary>
    public string EnvironmentVariable { get; }
    /// <summary>The declared type.</summary>
    public Type Type { get; }
    /// <summary>The help line.</summary>
    public string? Description { get; }
    /// <summary>Masked everywhere.</summary>
    public bool IsSecret { get; }
    /// <summary>Only settable from the command line.</summary>
    public bool CommandLineOnly { get; }
    internal MemberInfo Member { get; }
    /// <summary>The type that declares it (the build class or a component interface).</summary>
    public Type? DeclaringType => Member.DeclaringType;
    /// <summary>A short type name for help: string, bool, int, enum values, path, or T[].</summary>
    public string TypeText => Describe(Type);

    static string Describe(Type type)
    {
        if (type.IsArray) return Describe(type.GetElementType()!) + "[]";
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t.IsEnum) return string.Join("|", Enum.GetNames(t));
        if (t == typeof(AbsolutePath)) return "path";
        return t == typeof(string) ? "string" : t == typeof(bool) ? "bool" : t == typeof(int) ? "int" : t.Name.ToLowerInvariant();
    }

    /// <summary>A PascalCase name split into words by <paramref name="separator"/> (<c>PushArch</c> → <c>Push-Arch</c>).</summary>
    public static string Words(string name, char separator)
    {
        var chars = new List<char>();
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i])
                && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))))
                chars.Add(separator);
            chars.Add(name[i]);
        }
        return new string([.. chars]);
    }

    /// <summary>A name's letters and digits, lower-cased: how parameters, options and variables are matched.</summary>
    public static string Normalize(string name) => new string(name.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();
}
