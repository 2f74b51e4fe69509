using System.Globalization;
using System.Text;

namespace MultiArch.Workflows.Local;

/// <summary>
/// Evaluates GitHub Actions expressions for the local runner: context look-ups (<c>matrix.platform</c>,
/// <c>needs.build.outputs.version</c>, <c>matrix['image-name']</c>), literals, <c>! == != &lt; &gt; &amp;&amp; ||</c>,
/// parentheses and the functions generated workflows use. Values are strings, booleans, numbers, null or
/// dictionaries, and convert to text the way GitHub does.
/// </summary>
public sealed class WorkflowExpression
{
    readonly IReadOnlyDictionary<string, object?> _contexts;
    readonly Func<string, bool> _status;
    readonly string? _workspace;

    /// <summary>
    /// Creates an evaluator over these contexts (name to value) and job-status function answers; <c>hashFiles</c> reads <paramref
    /// name="workspace"/>.
    /// </summary>
    public WorkflowExpression(IReadOnlyDictionary<string, object?> contexts, Func<string, bool> status, string? workspace = null)
    {
        _contexts = contexts;
        _status = status;
        _workspace = workspace;
    }

    /// <summary>Replaces every <c>${{ expression }}</c> in <paramref name="text"/> with its text value.</summary>
    public string Substitute(string text)
    {
        var result = new StringBuilder();
        var at = 0;
        while (true)
        {
            var start = text.IndexOf("${{", at, StringComparison.Ordinal);
            if (start < 0) break;
            var end = text.IndexOf("}}", start + 3, StringComparison.Ordinal);
            if (end < 0) throw new WorkflowDefinitionException($"Expression in '{text}' has no closing }}}}.");
            result.Append(text, at, start - at).Append(ToText(Evaluate(text[(start + 3)..end])));
            at = end + 2;
        }
        return result.Append(text, at, text.Length - at).ToString();
    }

    /// <summary>
    /// Evaluates an <c>if:</c> condition (with or without <c>${{ }}</c>); without a status function it implies <c>success()</c>.
    /// </summary>
    public bool Condition(string? condition)
    {
        if (string.IsNullOrWhiteSpace(condition)) return _status("success");
        var text = condition.Trim();
        if (text.StartsWith("${{", StringComparison.Ordinal) && text.EndsWith("}}", StringComparison.Ordinal)) text = text[3..^2];
        var value = Truthy(Evaluate(text));
        var mentionsStatus = new[] { "success(", "failure(", "always(", "cancelled(" }
            .Any(f => text.Contains(f, StringComparison.OrdinalIgnoreCase));
        return mentionsStatus ? value : value && _status("success");
    }

    /// <summary>Evaluates one expression (the text between <c>${{</c> and <c>}}</c>).</summary>
    public object? Evaluate(string expression)
    {
        var parser = new Parser(expression, this);
        var value = parser.Or();
        parser.End();
        return value;
    }

    /// <summary>The text GitHub substitutes for a value.</summary>
    public static string ToText(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        double d => d.ToString(CultureInfo.InvariantCulture),
        string s => s,
        _ => "Object",
    };

    static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        double d => d != 0 && !double.IsNaN(d),
        string s => s.Length > 0,
        _ => true,
    };

    static double ToNumber(object? value) => value switch
    {
        null => 0,
        bool b => b ? 1 : 0,
        double d => d,
        string s when s.Trim().Length == 0 => 0,
        string s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN,
        _ => double.NaN,
    };

    // GitHub compares strings case-insensitively and otherwise converts both sides to numbers.
    static bool LooseEquals(object? a, object? b)
    {
        if (a is string sa && b is string sb) return string.Equals(sa, sb, StringComparison.OrdinalIgnoreCase);
        if (a is null && b is null) return true;
        if (a is IReadOnlyDictionary<string, object?> || b is IReadOnlyDictionary<string, object?>) return ReferenceEquals(a, b);
        return ToNumber(a) == ToNumber(b);
    }

    object? Call(string name, List<object?> args) => name.ToLowerInvariant() switch
    {
        "success" or "failure" or "always" or "cancelled" => _status(name.ToLowerInvariant()),
        "contains" => args[0] is IEnumerable<object?> list
            ? list.Any(item => LooseEquals(item, args[1]))
            : ToText(args[0]).Contains(ToText(args[1]), StringComparison.OrdinalIgnoreCase),
        "startswith" => ToText(args[0]).StartsWith(ToText(args[1]), StringComparison.OrdinalIgnoreCase),
        "endswith" => ToText(args[0]).EndsWith(ToText(args[1]), StringComparison.OrdinalIgnoreCase),
        "format" => Format(ToText(args[0]), args.Skip(1).Select(ToText).ToArray()),
        "join" => args[0] is IEnumerable<object?> items ? string.Join(args.Count > 1 ? ToText(args[1]) : ",", items.Select(ToText))
            : ToText(args[0]),
        "tojson" => System.Text.Json.JsonSerializer.Serialize(args[0]),
        "hashfiles" when _workspace is not null => LocalHashFiles.Compute(_workspace, args.Select(ToText).ToList()),
        _ => throw new WorkflowDefinitionException($"Expression function '{name}' is not supported by the local runner; use contains, " +
            "startsWith, endsWith, format, join, toJSON, hashFiles (with a workspace) or a status function."),
    };

    static string Format(string format, string[] args)
    {
        var result = format.Replace("{{", "\u0001").Replace("}}", "\u0002");
        for (var i = 0; i < args.Length; i++) result = result.Replace("{" + i + "}", args[i]);
        return result.Replace("\u0001", "{").Replace("\u0002", "}");
    }

    object? Context(string name) => _contexts.TryGetValue(name, out var value)
        ? value
        : throw new WorkflowDefinitionException($"Expression context '{name}' is not available to the local runner; available: " +
            $"{string.Join(", ", _contexts.Keys)}.");

    static object? Member(object? value, string key) =>
        value is IReadOnlyDictionary<string, object?> map
            ? map.TryGetValue(key, out var v) ? v
                : map.FirstOrDefault(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase)).Value
            : null;

    // Recursive descent: or -> and -> comparison -> unary -> primary (with member access).
    sealed class Parser(string text, WorkflowExpression owner)
    {
        int _at;

        public void End()
        {
            Skip();
            if (_at < text.Length) throw Error($"unexpected '{text[_at..]}'");
        }

        public object? Or()
        {
            var left = And();
            while (Accept("||")) { var right = And(); left = Truthy(left) ? left : right; }
            return left;
        }

        object? And()
        {
            var left = Comparison();
            while (Accept("&&")) { var right = Comparison(); left = Truthy(left) ? right : left; }
            return left;
        }

        object? Comparison()
        {
            var left = Unary();
            while (true)
            {
                if (Accept("==")) left = LooseEquals(left, Unary());
                else if (Accept("!=")) left = !LooseEquals(left, Unary());
                else if (Accept("<=")) left = ToNumber(left) <= ToNumber(Unary());
                else if (Accept(">=")) left = ToNumber(left) >= ToNumber(Unary());
                else if (Accept("<")) left = ToNumber(left) < ToNumber(Unary());
                else if (Accept(">")) left = ToNumber(left) > ToNumber(Unary());
                else return left;
            }
        }

        object? Unary() => Accept("!") ? !Truthy(Unary()) : Primary();

        object? Primary()
        {
            Skip();
            if (Accept("("))
            {
                var inner = Or();
                Expect(")");
                return Members(inner);
            }
            if (_at < text.Length && text[_at] == '\'') return Members(StringLiteral());
            if (_at < text.Length && (char.IsDigit(text[_at]) || text[_at] == '-'))
            {
                var start = _at++;
                while (_at < text.Length && (char.IsLetterOrDigit(text[_at]) || text[_at] == '.')) _at++;
                return double.Parse(text[start.._at], NumberStyles.Float, CultureInfo.InvariantCulture);
            }
            var name = Identifier();
            switch (name)
            {
                case "true": return true;
                case "false": return false;
                case "null": return null;
            }
            Skip();
            if (Accept("("))
            {
                var args = new List<object?>();
                if (!Accept(")"))
                {
                    do args.Add(Or()); while (Accept(","));
                    Expect(")");
                }
                return Members(owner.Call(name, args));
            }
            return Members(owner.Context(name));
        }

        object? Members(object? value)
        {
            while (true)
            {
                if (_at < text.Length && text[_at] == '.') { _at++; value = Member(value, Identifier()); }
                else if (_at < text.Length && text[_at] == '[')
                {
                    _at++;
                    var key = Or();
                    Expect("]");
                    value = Member(value, ToText(key));
                }
                else return value;
            }
        }

        string Identifier()
        {
            Skip();
            var start = _at;
            while (_at < text.Length && (char.IsLetterOrDigit(text[_at]) || text[_at] is '_' or '-')) _at++;
            return _at > start ? text[start.._at] : throw Error("expected a name");
        }

        string StringLiteral()
        {
            var value = new StringBuilder();
            _at++;
            while (true)
            {
                if (_at >= text.Length) throw Error("unterminated string");
                if (text[_at] == '\'')
                {
                    if (_at + 1 < text.Length && text[_at + 1] == '\'') { value.Append('\''); _at += 2; continue; }
                    _at++;
                    return value.ToString();
                }
                value.Append(text[_at++]);
            }
        }

        bool Accept(string token)
        {
            Skip();
            if (string.CompareOrdinal(text, _at, token, 0, token.Length) != 0) return false;
            // `!` must not swallow the first half of `!=`, nor `<` of `<=`.
            if (token is "!" or "<" or ">" && _at + 1 < text.Length && text[_at + 1] == '=') return false;
            _at += token.Length;
            return true;
        }

        void Expect(string token)
        {
            if (!Accept(token)) throw Error($"expected '{token}'");
        }

        void Skip()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at])) _at++;
        }

        WorkflowDefinitionException Error(string what) =>
            new($"Expression '{text.Trim()}' cannot be evaluated: {what} at column {_at + 1}.");
    }
}
