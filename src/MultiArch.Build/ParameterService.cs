using System.Collections;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;

namespace MultiArch.Build;

/// <summary>
/// Finds the build's parameters and resolves each value once, at start-up, into an immutable
/// <see cref="ParameterSnapshot"/>: command line, then the parameter's environment variable, then
/// <c>.nuke/parameters.json</c> (with <c>--profile</c> files over it); the getter's own default applies when none gave one.
/// </summary>
public sealed class ParameterService
{
    readonly Dictionary<string, ParameterInfo> _byName;
    readonly Dictionary<string, ParameterInfo> _byMember;

    ParameterService(IReadOnlyList<ParameterInfo> parameters, ParameterSnapshot values, ParameterSnapshot declared,
        IReadOnlyList<string> secretValues)
    {
        Parameters = parameters;
        Values = values;
        Declared = declared;
        SecretValues = secretValues;
        _byName = parameters.ToDictionary(p => ParameterInfo.Normalize(p.Name));
        _byMember = parameters.ToDictionary(p => p.Member.Name, StringComparer.Ordinal);
    }

    /// <summary>Every parameter, ordered by name.</summary>
    public IReadOnlyList<ParameterInfo> Parameters { get; }
    /// <summary>What this invocation gave: command line, environment, parameters files.</summary>
    public ParameterSnapshot Values { get; }

    /// <summary>What the build declares in its parameters files alone: CI generation must not depend on
    /// <c>--platform</c>, <c>--image</c> or a variable of the shell that regenerated the workflows.</summary>
    public ParameterSnapshot Declared { get; }
    /// <summary>The texts given for <c>[Secret]</c> parameters, converted or not; the log masks them.</summary>
    public IReadOnlyList<string> SecretValues { get; }
    /// <summary>One parameter's resolved value.</summary>
    public ParameterValue this[ParameterInfo parameter] => Values[parameter];
    /// <summary>The same parameters read from another snapshot (a build evaluated over defaults, or over its files).</summary>
    internal ParameterService Over(ParameterSnapshot snapshot) => new(Parameters, snapshot, snapshot, []);

    /// <summary>
    /// Reads every source once and converts every value. Unknown options and parameters-file keys fail here; a value
    /// that does not convert is kept as the parameter's <see cref="ParameterValue.Problem"/>, so a stray
    /// <c>MULTIARCH_PARALLELISM=auto</c> never breaks <c>--help</c>; the run fails when that value is used.
    /// </summary>
    internal static ParameterService Resolve(IReadOnlyList<ParameterInfo> parameters, CommandLine commandLine,
        IReadOnlyDictionary<string, string> environment, AbsolutePath root)
    {
        var byName = parameters.ToDictionary(p => ParameterInfo.Normalize(p.Name));
        foreach (var (key, _) in commandLine.Options)
            if (!byName.ContainsKey(key))
                throw new BuildException("Unknown option "
                    + $"'{commandLine.Spelling[key]}'.{DidYouMean.Suggest(commandLine.Spelling[key], parameters.Select(p => p.CliName))} "
                    + "Run with --help to list the parameters.");
        var file = ReadFiles(root, commandLine.Options.GetValueOrDefault("profile") ?? []);
        foreach (var (key, (name, _, fileName)) in file)
            if (!byName.ContainsKey(key))
                throw new BuildException($".nuke/{fileName}: unknown parameter "
                    + $"'{name}'.{DidYouMean.Suggest(name, parameters.Select(p => p.Name))} Remove it or fix its name.");

        var values = new Dictionary<ParameterInfo, ParameterValue>();
        var declared = new Dictionary<ParameterInfo, ParameterValue>();
        var secrets = new List<string>();
        foreach (var parameter in parameters)
        {
            var key = ParameterInfo.Normalize(parameter.Name);
            var fromFile = file.TryGetValue(key, out var entry) ? FromFile(entry) : default;
            if (fromFile.Texts is not null)
                declared[parameter] = Converted(parameter, fromFile.Texts, ValueOrigin.File, fromFile.Where, root);
            (IReadOnlyList<string>? Texts, ValueOrigin Origin, string? Where) given =
                commandLine.Options.TryGetValue(key, out var cli) ? (cli, ValueOrigin.CommandLine, "command line")
                : !parameter.CommandLineOnly && environment.GetValueOrDefault(parameter.EnvironmentVariable) is { Length: > 0 } env
                    // Only the exact name (a loose match let stray variables in, chosen by hash order). Empty counts as
                    // unset: GitHub passes "" for a dispatch input that was not given.
                    ? (parameter.Type.IsArray ? Split(env) : [env], ValueOrigin.Environment, "env " + parameter.EnvironmentVariable)
                    : (fromFile.Texts, ValueOrigin.File, fromFile.Where);
            if (given.Texts is null) continue;
            if (parameter.IsSecret) secrets.AddRange(given.Texts.Where(t => t.Length > 0));
            values[parameter] = given.Origin == ValueOrigin.File ? declared[parameter]
                : Converted(parameter, given.Texts, given.Origin, given.Where!, root);
        }
        return new ParameterService(parameters, new ParameterSnapshot(values), new ParameterSnapshot(declared), secrets);
    }

    static ParameterValue Converted(ParameterInfo parameter, IReadOnlyList<string> texts, ValueOrigin origin, string where,
        AbsolutePath root)
    {
        try { return new ParameterValue(Convert(texts, parameter.Type, origin == ValueOrigin.File ? root : null), origin, where, null); }
        catch (Exception e)
        {
            var inner = e is TargetInvocationException { InnerException: { } i } ? i : e;
            return new ParameterValue(null, origin, where, $"{parameter.CliName} (from {where}): {inner.Message}");
        }
    }

    /// <summary>
    /// Which of <paramref name="variables"/> carry a <c>[Secret]</c> parameter (its own variable, or its name with
    /// another case, separators or no prefix, as a user may mistype it), plus each secret's own variable name:
    /// what child processes must not inherit.
    /// </summary>
    public IReadOnlyList<string> SecretVariables(IEnumerable<string> variables)
    {
        var secrets = Parameters.Where(p => p.IsSecret && !p.CommandLineOnly).ToList();
        var keys = secrets.SelectMany(p =>
            new[] { ParameterInfo.Normalize(p.Name), ParameterInfo.Normalize(p.EnvironmentVariable) }).ToHashSet();
        return secrets.Select(p => p.EnvironmentVariable).Concat(variables.Where(v => keys.Contains(ParameterInfo.Normalize(v))))
            .Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The value of a parameter (already converted to its type), or null when none was given. A value that
    /// could not be converted fails here, where it is used, naming its source.</summary>
    public object? Get(string name)
    {
        if (!_byMember.TryGetValue(name, out var parameter) && !_byName.TryGetValue(ParameterInfo.Normalize(name), out parameter))
            return null;
        var value = Values[parameter];
        if (value.Problem is not null) throw new BuildException(value.Problem);
        return value.Value;
    }

    /// <summary>The member name in <c>() =&gt; Member</c> (conversions unwrapped).</summary>
    public static string MemberName(LambdaExpression expression)
    {
        var body = expression.Body;
        while (body is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } u) body = u.Operand;
        return body is MemberExpression m ? m.Member.Name
            : throw new BuildException($"'{expression}' is not a parameter access; write () => ParameterName.");
    }

    // parameters.json, then each --profile file over it (later profiles win), as NUKE layers them.
    static Dictionary<string, (string Name, JsonElement Value, string File)> ReadFiles(AbsolutePath root, IReadOnlyList<string> profiles)
    {
        var entries = Label(ReadFile(root / ".nuke" / "parameters.json"), "parameters.json");
        foreach (var profile in profiles)
        {
            var file = root / ".nuke" / $"parameters.{profile}.json";
            if (!file.FileExists())
                throw new BuildException($"--profile {profile}: there is no .nuke/parameters.{profile}.json. "
                    + (Profiles(root) is { Count: > 0 } found ? "The profiles here are: " + string.Join(", ", found) + "."
                        : "Create it with the parameters that differ, e.g. { \"Registry\": \"ghcr.io\" }."));
            foreach (var (key, entry) in Label(ReadFile(file), $"parameters.{profile}.json")) entries[key] = entry;
        }
        return entries;
    }

    static (IReadOnlyList<string>? Texts, string Where) FromFile((string Name, JsonElement Value, string File) entry) =>
        (entry.Value.ValueKind != JsonValueKind.Array ? [Text(entry.Value)]
            : entry.Value.EnumerateArray().Where(e => e.ValueKind != JsonValueKind.Null).Select(Text).ToList(), entry.File);

    static Dictionary<string, (string Name, JsonElement Value, string File)> Label(
        Dictionary<string, (string Name, JsonElement Value)> entries, string file) =>
        entries.ToDictionary(e => e.Key, e => (e.Value.Name, e.Value.Value, file));

    /// <summary>The profiles a root offers: every <c>.nuke/parameters.&lt;name&gt;.json</c>.</summary>
    public static IReadOnlyList<string> Profiles(AbsolutePath root) =>
        Directory.Exists(root / ".nuke")
            ? Directory.EnumerateFiles(root / ".nuke", "parameters.*.json")
                .Select(f => Path.GetFileName(f)["parameters.".Length..^".json".Length]).Order(StringComparer.Ordinal).ToList()
            : [];

    static string Text(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText();

    // Array values in one environment variable: comma or whitespace separated. Scalars are never split (a value may hold spaces).
    static IReadOnlyList<string> Split(string value) =>
        value.Split([',', ' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 1 } parts
            ? parts : [value];

    internal static object? Convert(IReadOnlyList<string> values, Type type, AbsolutePath? relativeTo)
    {
        if (type.IsArray)
        {
            var element = type.GetElementType()!;
            var array = Array.CreateInstance(element, values.Count);
            for (var i = 0; i < values.Count; i++) array.SetValue(ConvertOne(values[i], element, relativeTo), i);
            return array;
        }
        if ((Nullable.GetUnderlyingType(type) ?? type) == typeof(bool) && values.Count == 0) return true; // a bare --flag
        if (values.Count == 0) throw new BuildException($"expects a value of type {type.Name}; pass one after the option.");
        if (values.Count > 1) throw new BuildException($"expects one value but got {values.Count} ({string.Join(" ", values)}); "
            + "pass a single value.");
        return ConvertOne(values[0], type, relativeTo);
    }

    static object? ConvertOne(string text, Type type, AbsolutePath? relativeTo)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string)) return text;
        if (t == typeof(bool))
            return text.ToLowerInvariant() switch
            {
                "true" or "1" or "yes" or "on" => true,
                "false" or "0" or "no" or "off" => false,
                _ => throw new BuildException($"'{text}' is not a boolean; use true or false."),
            };
        if (t == typeof(int)) return int.TryParse(text, out var i) ? i : throw new BuildException($"'{text}' is not a whole number.");
        if (t == typeof(long)) return long.TryParse(text, out var l) ? l : throw new BuildException($"'{text}' is not a whole number.");
        if (t == typeof(double)) return double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d
            : throw new BuildException($"'{text}' is not a number.");
        if (t == typeof(TimeSpan)) return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var s) ? s
            : throw new BuildException($"'{text}' is not a duration; use hh:mm:ss.");
        if (t.IsEnum)
            return Enum.TryParse(t, text, ignoreCase: true, out var e) && Enum.IsDefined(t, e!) ? e
                : throw new BuildException($"'{text}' is not one of {string.Join(", ", Enum.GetNames(t))}.");
        if (t == typeof(AbsolutePath)) return relativeTo is null ? new AbsolutePath(text)
            : new AbsolutePath(Path.Combine(relativeTo.Value, text));
        var parse = t.GetMethod("Parse", BindingFlags.Public | BindingFlags.Static, [typeof(string)])
            ?? throw new BuildException($"parameters of type {t.Name} are not supported; use string, bool, int, an enum, a path, an array, "
                + "or a type with a static Parse(string).");
        return parse.Invoke(null, [text]);
    }

    static Dictionary<string, (string Name, JsonElement Value)> ReadFile(AbsolutePath path)
    {
        if (!path.FileExists()) return [];
        var text = File.ReadAllText(path);
        try
        {
            var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
            using var document = JsonDocument.Parse(text, options);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new BuildException($"{path}: the top level must be a JSON object of parameter names to values.");
            var entries = new Dictionary<string, (string Name, JsonElement Value)>();
            // JSON null means unset: the key is as good as absent (the environment and the default apply).
            foreach (var property in document.RootElement.EnumerateObject().Where(p => !p.Name.StartsWith('$')))
            {
                var key = ParameterInfo.Normalize(property.Name);
                if (entries.TryGetValue(key, out var first))
                    throw new BuildException($"{path}: '{first.Name}' and '{property.Name}' name the same parameter (case, '-' and '_' are "
                        + "ignored); keep one of them.");
                entries[key] = (property.Name, property.Value.Clone());
            }
            return entries.Where(e => e.Value.Value.ValueKind != JsonValueKind.Null).ToDictionary();
        }
        catch (JsonException e)
        {
            var message = e.Message.Split(". LineNumber")[0].TrimEnd('.');
            throw new BuildException($"{path} line {(e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1}: {message}. "
                + "Fix the JSON there.");
        }
    }

    internal static List<ParameterInfo> Discover(Type buildType)
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        var members = new List<MemberInfo>();
        for (var t = buildType; t is not null && t != typeof(object); t = t.BaseType)
            members.AddRange(t.GetMembers(flags).Where(m => m is FieldInfo or PropertyInfo));
        foreach (var i in buildType.GetInterfaces()) members.AddRange(i.GetProperties(flags));
        var found = new Dictionary<string, ParameterInfo>();
        foreach (var member in members)
        {
            if (member.GetCustomAttribute<ParameterAttribute>() is not { } attribute) continue;
            var info = new ParameterInfo(member, attribute, member.GetCustomAttribute<SecretAttribute>() is not null);
            var key = ParameterInfo.Normalize(info.Name);
            // The same interface property seen through the class and the interface is one parameter; otherwise it is an error.
            if (found.TryGetValue(key, out var existing) && existing.Member.DeclaringType != member.DeclaringType
                && !IsSameProperty(existing.Member, member))
                throw new BuildException($"Parameter '{info.Name}' is declared twice "
                    + $"({existing.Member.DeclaringType?.Name}.{existing.Name} and {member.DeclaringType?.Name}.{member.Name}). "
                    + "Rename one of them.");
            found.TryAdd(key, info);
        }
        return [.. found.Values.OrderBy(p => p.Name, StringComparer.Ordinal)];
    }

    static bool IsSameProperty(MemberInfo a, MemberInfo b) =>
        a is PropertyInfo pa && b is PropertyInfo pb && pa.PropertyType == pb.PropertyType &&
        (pa.DeclaringType!.IsAssignableFrom(pb.DeclaringType) || pb.DeclaringType!.IsAssignableFrom(pa.DeclaringType));

    internal static string? Format(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        IEnumerable e => string.Join(" ", e.Cast<object?>().Select(Format)),
        _ => value.ToString(),
    };
}
