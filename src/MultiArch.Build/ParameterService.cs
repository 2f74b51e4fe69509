using System.Collections;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;

namespace MultiArch.Build;

/// <summary>
/// Finds the build's parameters and resolves each value: command line, then environment, then
/// <c>.nuke/parameters.json</c>, then the default. Converts text to the declared type.
/// </summary>
public sealed class ParameterService
{
    readonly CommandLine _commandLine;
    readonly IReadOnlyDictionary<string, string> _environment;
    readonly Dictionary<string, (string Name, JsonElement Value, string File)> _file; // normalized key -> the key as written, its value, its file
    readonly AbsolutePath _root;
    readonly Dictionary<string, ParameterInfo> _byName;
    readonly Dictionary<string, ParameterInfo> _byMember;
    // What Get ignores for now: nothing, the invocation (command line and environment), or every source.
    enum Ignore { Nothing, Invocation, Everything }
    Ignore _ignore;

    internal ParameterService(IReadOnlyList<ParameterInfo> parameters, CommandLine commandLine, IReadOnlyDictionary<string, string> environment, AbsolutePath root)
    {
        _commandLine = commandLine;
        _environment = environment;
        _root = root;
        Parameters = parameters;
        _byName = Parameters.ToDictionary(p => ParameterInfo.Normalize(p.Name));
        _byMember = Parameters.ToDictionary(p => p.Member.Name, StringComparer.Ordinal);
        _file = Label(ReadFile(root / ".nuke" / "parameters.json"), "parameters.json");
        // --profile staging layers .nuke/parameters.staging.json over parameters.json, as NUKE does; later profiles win.
        foreach (var profile in commandLine.Options.GetValueOrDefault("profile") ?? [])
        {
            var file = root / ".nuke" / $"parameters.{profile}.json";
            if (!file.FileExists())
                throw new BuildException($"--profile {profile}: there is no .nuke/parameters.{profile}.json. {(Profiles(root) is { Count: > 0 } found ? "The profiles here are: " + string.Join(", ", found) + "." : "Create it with the parameters that differ, e.g. { \"Registry\": \"ghcr.io\" }.")}");
            foreach (var (key, entry) in Label(ReadFile(file), $"parameters.{profile}.json")) _file[key] = entry;
        }
    }

    /// <summary>Every parameter, ordered by name.</summary>
    public IReadOnlyList<ParameterInfo> Parameters { get; }

    /// <summary>The values of <c>[Secret]</c> parameters that were given; the log masks them.</summary>
    public IEnumerable<string> SecretValues => Parameters.Where(p => p.IsSecret).Select(p => Raw(p)?.Values).OfType<IReadOnlyList<string>>().SelectMany(v => v).Where(v => v.Length > 0);

    /// <summary>
    /// Which of <paramref name="variables"/> carry a <c>[Secret]</c> parameter (spelt as <see cref="Raw"/> reads them:
    /// exactly, or with another case or separators), plus each secret's own variable name: what child processes must not inherit.
    /// </summary>
    public IReadOnlyList<string> SecretVariables(IEnumerable<string> variables)
    {
        var secrets = Parameters.Where(p => p.IsSecret && !p.CommandLineOnly).ToList();
        var keys = secrets.Select(p => ParameterInfo.Normalize(p.Name)).ToHashSet();
        return secrets.Select(p => p.EnvironmentVariable).Concat(variables.Where(v => keys.Contains(ParameterInfo.Normalize(v))))
            .Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Checks every command-line option and parameters.json key names a parameter.</summary>
    internal void Validate()
    {
        foreach (var (key, values) in _commandLine.Options)
            if (!_byName.ContainsKey(key))
                throw new BuildException($"Unknown option '{_commandLine.Spelling[key]}'.{DidYouMean.Suggest(_commandLine.Spelling[key], Parameters.Select(p => p.CliName))} Run with --help to list the parameters.");
        foreach (var (key, (name, _, file)) in _file)
            if (!_byName.ContainsKey(key))
                throw new BuildException($".nuke/{file}: unknown parameter '{name}'.{DidYouMean.Suggest(name, Parameters.Select(p => p.Name))} Remove it or fix its name.");
        // A bad value is kept per parameter, not thrown here: `PARALLELISM=auto ./build.sh --help` must still print help.
        // The run fails when the value is read (TargetBuild fails at start for the fields it injects).
        foreach (var parameter in Parameters)
        {
            try { parameter.Value = Get(parameter.Name, parameter.Type); }
            catch (BuildException e) { parameter.Problem = e.Message; }
        }
    }

    /// <summary>The value of a parameter converted to <paramref name="type"/>, or null when none was given.</summary>
    public object? Get(string name, Type type)
    {
        if (_ignore == Ignore.Everything) return null;
        if (!_byMember.TryGetValue(name, out var parameter) && !_byName.TryGetValue(ParameterInfo.Normalize(name), out parameter)) return null;
        if (Raw(parameter) is not { } raw) return null;
        parameter.Source = raw.Source;
        try { return Convert(raw.Values, type, raw.Source.EndsWith(".json", StringComparison.Ordinal) ? _root : null); }
        catch (Exception e) when (e is not BuildException)
        {
            var inner = e is TargetInvocationException { InnerException: { } i } ? i : e;
            throw new BuildException($"{parameter.CliName} (from {raw.Source}): {inner.Message}");
        }
        catch (BuildException e) { throw new BuildException($"{parameter.CliName} (from {raw.Source}): {e.Message}"); }
    }

    /// <summary>Evaluates <paramref name="read"/> as if no value had been given anywhere (for help's defaults).</summary>
    internal T WithDefaultsOnly<T>(Func<T> read)
    {
        return With(Ignore.Everything, read);
    }

    /// <summary>Evaluates <paramref name="read"/> with only .nuke/parameters.json and defaults: what the build declares,
    /// not what this invocation narrowed it to (CI generation must not depend on --platform or --image).</summary>
    internal T WithoutInvocation<T>(Func<T> read) => With(Ignore.Invocation, read);

    T With<T>(Ignore ignore, Func<T> read)
    {
        var before = _ignore;
        _ignore = ignore;
        try { return read(); } finally { _ignore = before; }
    }

    /// <summary>The member name in <c>() =&gt; Member</c> (conversions unwrapped).</summary>
    public static string MemberName(LambdaExpression expression)
    {
        var body = expression.Body;
        while (body is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } u) body = u.Operand;
        return body is MemberExpression m ? m.Member.Name
            : throw new BuildException($"'{expression}' is not a parameter access; write () => ParameterName.");
    }

    (IReadOnlyList<string> Values, string Source)? Raw(ParameterInfo parameter)
    {
        var key = ParameterInfo.Normalize(parameter.Name);
        if (_ignore == Ignore.Invocation) return _file.TryGetValue(key, out var declared) ? FromFile(declared) : null;
        if (_commandLine.Options.TryGetValue(key, out var cli)) return (cli, "command line");
        if (parameter.CommandLineOnly) return null;
        // Exactly the declared name: a loose match (any case, any underscores) let stray variables in, chosen by hash order.
        var env = _environment.GetValueOrDefault(parameter.EnvironmentVariable);
        // An empty variable counts as unset: GitHub passes VERSION="" when a dispatch input was not given.
        if (!string.IsNullOrEmpty(env)) return (parameter.Type.IsArray ? Split(env) : [env], "environment");
        return _file.TryGetValue(key, out var entry) ? FromFile(entry) : null;
    }

    static (IReadOnlyList<string> Values, string Source) FromFile((string Name, JsonElement Value, string File) entry) =>
        (entry.Value.ValueKind == JsonValueKind.Array ? entry.Value.EnumerateArray().Where(e => e.ValueKind != JsonValueKind.Null).Select(Text).ToList() : [Text(entry.Value)], entry.File);

    static Dictionary<string, (string Name, JsonElement Value, string File)> Label(Dictionary<string, (string Name, JsonElement Value)> entries, string file) =>
        entries.ToDictionary(e => e.Key, e => (e.Value.Name, e.Value.Value, file));

    /// <summary>The profiles a root offers: every <c>.nuke/parameters.&lt;name&gt;.json</c>.</summary>
    public static IReadOnlyList<string> Profiles(AbsolutePath root) =>
        Directory.Exists(root / ".nuke")
            ? Directory.EnumerateFiles(root / ".nuke", "parameters.*.json").Select(f => Path.GetFileName(f)["parameters.".Length..^".json".Length]).Order(StringComparer.Ordinal).ToList()
            : [];

    static string Text(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText();

    // Array values in one environment variable: comma or whitespace separated. Scalars are never split (a value may hold spaces).
    static IReadOnlyList<string> Split(string value) =>
        value.Split([',', ' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 1 } parts ? parts : [value];

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
        if (values.Count > 1) throw new BuildException($"expects one value but got {values.Count} ({string.Join(" ", values)}); pass a single value.");
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
        if (t == typeof(double)) return double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : throw new BuildException($"'{text}' is not a number.");
        if (t == typeof(TimeSpan)) return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : throw new BuildException($"'{text}' is not a duration; use hh:mm:ss.");
        if (t.IsEnum)
            return Enum.TryParse(t, text, ignoreCase: true, out var e) && Enum.IsDefined(t, e!) ? e
                : throw new BuildException($"'{text}' is not one of {string.Join(", ", Enum.GetNames(t))}.");
        if (t == typeof(AbsolutePath)) return relativeTo is null ? new AbsolutePath(text) : new AbsolutePath(Path.Combine(relativeTo.Value, text));
        var parse = t.GetMethod("Parse", BindingFlags.Public | BindingFlags.Static, [typeof(string)])
            ?? throw new BuildException($"parameters of type {t.Name} are not supported; use string, bool, int, an enum, a path, an array, or a type with a static Parse(string).");
        return parse.Invoke(null, [text]);
    }

    static Dictionary<string, (string Name, JsonElement Value)> ReadFile(AbsolutePath path)
    {
        if (!path.FileExists()) return [];
        var text = File.ReadAllText(path);
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new BuildException($"{path}: the top level must be a JSON object of parameter names to values.");
            var entries = new Dictionary<string, (string Name, JsonElement Value)>();
            // JSON null means unset: the key is as good as absent (the environment and the default apply).
            foreach (var property in document.RootElement.EnumerateObject().Where(p => !p.Name.StartsWith('$')))
            {
                var key = ParameterInfo.Normalize(property.Name);
                if (entries.TryGetValue(key, out var first))
                    throw new BuildException($"{path}: '{first.Name}' and '{property.Name}' name the same parameter (case, '-' and '_' are ignored); keep one of them.");
                entries[key] = (property.Name, property.Value.Clone());
            }
            return entries.Where(e => e.Value.Value.ValueKind != JsonValueKind.Null).ToDictionary();
        }
        catch (JsonException e)
        {
            var message = e.Message.Split(". LineNumber")[0].TrimEnd('.');
            throw new BuildException($"{path} line {(e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1}: {message}. Fix the JSON there.");
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
            if (found.TryGetValue(key, out var existing) && existing.Member.DeclaringType != member.DeclaringType && !IsSameProperty(existing.Member, member))
                throw new BuildException($"Parameter '{info.Name}' is declared twice ({existing.Member.DeclaringType?.Name}.{existing.Name} and {member.DeclaringType?.Name}.{member.Name}). Rename one of them.");
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
