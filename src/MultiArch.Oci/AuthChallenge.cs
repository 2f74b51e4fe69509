using System.Text;

namespace MultiArch.Oci;

/// <summary>A parsed <c>WWW-Authenticate</c> challenge: scheme plus parameters (realm, service, scope, error).</summary>
/// <param name="Scheme">Basic or Bearer.</param>
/// <param name="Parameters">Parameter names (lower case) to values.</param>
internal sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public string? this[string name] => Parameters.GetValueOrDefault(name);

    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    public static AuthChallenge? From(HttpResponseMessage response)
    {
        var header = response.Headers.WwwAuthenticate.FirstOrDefault(h => h.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
                     ?? response.Headers.WwwAuthenticate.FirstOrDefault();
        return header is null ? null : new AuthChallenge(header.Scheme, ParseParameters(header.Parameter ?? ""));
    }

    // key="quoted, value",key2=token — commas inside quotes belong to the value (scopes contain them).
    internal static Dictionary<string, string> ParseParameters(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i]))) i++;
            var eq = text.IndexOf('=', i);
            if (eq < 0) break;
            var key = text[i..eq].Trim();
            i = eq + 1;
            var value = new StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                for (i++; i < text.Length && text[i] != '"'; i++)
                {
                    if (text[i] == '\\' && i + 1 < text.Length) i++;
                    value.Append(text[i]);
                }
                i++;
            }
            else
            {
                for (; i < text.Length && text[i] != ','; i++) value.Append(text[i]);
            }
            result[key] = value.ToString().Trim();
        }
        return result;
    }
}
