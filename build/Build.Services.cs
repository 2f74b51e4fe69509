using MultiArch.Build;
using MultiArch.Components;
using MultiArch.Docker;
using MultiArch.Oci;
using MultiArch.Provisioning;

// What this repository's runs need from the machine. LocalServices (from the components) brings up the engine, QEMU
// and the registry; this file adds the examples' offline base image, and TestServices adds what the tests call.
partial class Build : ILocalServices
{
    // Debian 12's busybox-static is 1.35; the tests and the examples' offline default refer to this index.
    static readonly DebianBusyboxImage LocalBusybox = new(LocalRegistry.DefaultHost, "multiarch/busybox", ["1.35", "latest"],
        [Platform.LinuxAmd64, Platform.LinuxArm64, Platform.LinuxArmV7]);

    [Parameter("The examples' own FROM; default busybox:1.36 when Docker Hub answers, else the busybox that LocalServices builds from "
        + "Debian's packages (127.0.0.1:5000/multiarch/busybox:1.35)")]
    readonly string? BaseImage = null;

    // Decided once per run: a machine without Docker Hub (CI sandboxes, air-gapped hosts) still builds the examples.
    string ExampleBase => _exampleBase ??= BaseImage ?? (DockerHubAnswers() ? "busybox:1.36" : LocalBusybox.Reference);
    string? _exampleBase;

    IEnumerable<ProvisioningStep> ILocalServices.AdditionalServices => ExampleBase == LocalBusybox.Reference ? [LocalBusybox] : [];

    Target TestServices => _ => _
        .Description("Sets up what the tests need besides LocalServices: skopeo, htpasswd, Node.js with the "
            + "workflow parser, the busybox base")
        .DependsOn<ILocalServices>(x => x.LocalServices)
        .Executes(() => ((ILocalServices)this).ProvisionAsync(nameof(TestServices),
        [
            new AptPackages("packages", [new("skopeo"), new("apache2-utils", "htpasswd"), new("nodejs", "node"), new("npm", "npm")]),
            LocalBusybox,
            new NpmPackages(RootDirectory / ".ci" / "workflow-parser", "@actions/workflow-parser"),
        ]));

    // Any HTTP answer from Docker Hub's registry means it is reachable; a name that does not resolve fails at once.
    bool DockerHubAnswers()
    {
        if (Environment.GetValueOrDefault("GITHUB_ACTIONS") == "true") return true;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        // HttpClient's own synchronous Send: a property getter asks, with nothing to await in.
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://registry-1.docker.io/v2/");
        try { using var _ = http.Send(request); return true; }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return false; }
    }
}
