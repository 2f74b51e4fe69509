using MultiArch.Docker;
using MultiArch.Oci;

// The exact `docker buildx build` arguments MultiArch passes for one lane (image hello, linux/arm64) under each
// --cache mode, as markdown: the code that builds them is the one the pipeline runs (LayerCacheMode.For,
// BuildxImageBuilder.Plan and Arguments), not a copy. Paths are fixed so the table does not change from run to run.
var repository = ImageReference.Parse("ghcr.io/acme/hello");
var platform = Platform.LinuxArm64;
var builders = new (string Name, BuildxBuilder Builder, bool Containerd)[]
{
    ("docker-container builder", new BuildxBuilder("builder", "docker-container"), false),
    ("docker driver, containerd image store (the generated legs)", new BuildxBuilder("default", "docker"), true),
};

Console.WriteLine("| --cache | stage | builder | arguments after `docker` |");
Console.WriteLine("|---|---|---|---|");
foreach (var mode in new[] { LayerCacheMode.GitHubActions, LayerCacheMode.Registry, LayerCacheMode.None })
foreach (var baseStage in new[] { true, false })
foreach (var (name, builder, containerd) in builders)
{
    var cache = mode.For(repository, "hello", platform, baseStage);
    var request = new ImageBuildRequest
    {
        ContextDirectory = "/src/hello",
        Dockerfile = baseStage ? "Dockerfile.base" : "Dockerfile",
        Platform = platform,
        Tags = [baseStage ? ImageReference.Parse("hello-base:dev-arm64-run1") : repository.WithTag("dev-arm64")],
        CacheFrom = cache is null ? [] : [cache],
        CacheTo = cache is null ? [] : [cache],
        // The app stage is built and pushed in one step; the base stays local for the app's FROM.
        Push = !baseStage,
        LocalBaseImage = baseStage ? null : "hello-base:dev-arm64-run1",
    };
    var plan = BuildxImageBuilder.Plan(request, builder, containerd);
    var arguments = BuildxImageBuilder.Arguments(request, "/tmp/metadata.json", networkHost: false, plan);
    var notes = plan.Notes.Count == 0 ? "" : " (" + string.Join(" ", plan.Notes) + ")";
    Console.WriteLine($"| {mode} | {(baseStage ? "base" : "app")} | {name} | `{string.Join(" ", arguments)}`{notes} |");
}
