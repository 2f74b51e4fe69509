using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MultiArch.Oci;

namespace MultiArch.Testing;

/// <summary>
/// A small token server (Kestrel on 127.0.0.1) for registries configured with <c>auth: token</c>. It issues
/// RS256 JWTs whose <c>x5c</c> header holds a self-signed certificate; the registry trusts that certificate
/// through <c>rootcertbundle</c>. Authenticated users get exactly the scopes they ask for; anonymous users get none.
/// </summary>
public sealed class TokenIssuer : IAsyncDisposable
{
    // distribution accepts tokens up to this long after exp; we subtract it so Lifetime is what the registry enforces.
    private static readonly TimeSpan RegistryLeeway = TimeSpan.FromSeconds(60);

    private readonly WebApplication _app;
    private readonly RSA _key;
    private readonly string _x5c;
    private readonly string _directory;
    private int _issued;

    private TokenIssuer(WebApplication app, RSA key, X509Certificate2 certificate, string directory, RegistryCredentials credentials)
    {
        (_app, _key, _directory, Credentials) = (app, key, directory, credentials);
        _x5c = Convert.ToBase64String(certificate.RawData);
        CertificatePath = Path.Combine(directory, "issuer.pem");
        File.WriteAllText(CertificatePath, certificate.ExportCertificatePem());
    }

    /// <summary>The token endpoint URL (the registry's <c>realm</c>).</summary>
    public string Realm { get; private set; } = "";

    /// <summary>The <c>service</c> (JWT audience).</summary>
    public string Service => "multiarch-test-registry";

    /// <summary>The <c>issuer</c> claim.</summary>
    public string Issuer => "multiarch-test-issuer";

    /// <summary>PEM file with the signing certificate (the registry's <c>rootcertbundle</c>).</summary>
    public string CertificatePath { get; }

    /// <summary>The only user the issuer accepts.</summary>
    public RegistryCredentials Credentials { get; }

    /// <summary>How long tokens are valid at the registry. Short values test expiry mid-run.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The <c>expires_in</c> told to clients. Null omits it (as GHCR does); a value longer than <see cref="Lifetime"/>
    /// makes clients hold a token past its expiry, so the registry's 401 must trigger the refresh.
    /// </summary>
    public TimeSpan? AdvertisedLifetime { get; set; }

    /// <summary>Answer token requests with <c>access_token</c> instead of <c>token</c> (OAuth2 style).</summary>
    public bool UseAccessTokenField { get; set; }

    /// <summary>Tokens issued so far.</summary>
    public int IssuedTokens => Volatile.Read(ref _issued);

    /// <summary>Starts the issuer on a free port of 127.0.0.1.</summary>
    public static async Task<TokenIssuer> StartAsync()
    {
        var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=multiarch-test-issuer", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var issuer = new TokenIssuer(app, key, certificate, Directory.CreateTempSubdirectory("multiarch-issuer-").FullName,
            new RegistryCredentials("tester", "tok-" + Guid.NewGuid().ToString("N")));
        app.MapGet("/token", issuer.Issue);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First();
        issuer.Realm = address.TrimEnd('/') + "/token";
        return issuer;
    }

    private IResult Issue(HttpContext context)
    {
        var authorized = false;
        if (context.Request.Headers.Authorization.ToString() is { Length: > 0 } header)
        {
            if (!header.StartsWith("Basic ", StringComparison.Ordinal) || Encoding.UTF8.GetString(
                    Convert.FromBase64String(header["Basic ".Length..])) != $"{Credentials.Username}:{Credentials.Password}")
                return Results.Json(new { errors = new[] { new { code = "UNAUTHORIZED", message = "invalid credentials" } } },
                    statusCode: 401);
            authorized = true;
        }
        var scopes = context.Request.Query["scope"].SelectMany(s => (s ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var access = authorized ? scopes.Select(ToAccess).Where(a => a is not null).ToArray() : [];
        var now = DateTimeOffset.UtcNow;
        var claims = new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["sub"] = authorized ? Credentials.Username : "",
            ["aud"] = Service,
            ["exp"] = (now + Lifetime - RegistryLeeway).ToUnixTimeSeconds(),
            ["nbf"] = (now - TimeSpan.FromSeconds(1)).ToUnixTimeSeconds(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        };
        var token = Sign(claims);
        Interlocked.Increment(ref _issued);
        var body = new Dictionary<string, object> { [UseAccessTokenField ? "access_token" : "token"] = token,
            ["issued_at"] = now.ToString("O") };
        if (AdvertisedLifetime is { } advertised) body["expires_in"] = (int)advertised.TotalSeconds;
        return Results.Json(body);
    }

    private static object? ToAccess(string scope)
    {
        // type:name:actions, where name may itself contain ':' (a registry host with port).
        var first = scope.IndexOf(':');
        var last = scope.LastIndexOf(':');
        if (first < 0 || last <= first) return null;
        return new { type = scope[..first], name = scope[(first + 1)..last], actions = scope[(last + 1)..].Split(',') };
    }

    private string Sign(Dictionary<string, object> claims)
    {
        var header = new { typ = "JWT", alg = "RS256", x5c = new[] { _x5c } };
        var signingInput = $"{Base64Url(JsonSerializer.SerializeToUtf8Bytes(header))}." +
            $"{Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims))}";
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Stops the issuer and removes its certificate file.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
