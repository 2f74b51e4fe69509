using System.Security.Cryptography;
using MultiArch.Bench.Reliability;
using MultiArch.Build;
using MultiArch.Ghcr;
using MultiArch.Oci;

// A pipeline step as its own process, so a test can SIGKILL or SIGTERM it mid-way and look at what it left:
//   write-records DIR                          ExportDigest's write, forever (a new record every few ms)
//   merge REGISTRY REPOSITORY VERSION DIR      MergeManifest: the records in DIR merged and pushed with the version's tags
//   engine TARGET...                           the target engine running WaitingBuild (a target that waits to be cancelled)
//   cleanup IMAGE API_URL                      CleanupUntagged for real (token from GITHUB_TOKEN: never on a command line)
//   pipeline ROOT TARGET...                    the pipeline (PipelineBuild) as ./build.sh runs it: this process's own
//                                              environment and standard input, so a test can read its children's /proc
// It prints "started" once it is about to do the work, so the test knows when a kill lands mid-way.
switch (args)
{
    case ["write-records", var directory]:
        Console.WriteLine("started");
        Platform[] platforms = [Platform.LinuxAmd64, Platform.LinuxArm64, Platform.LinuxArmV7];
        for (var i = 0; ; i++)
        {
            var platform = platforms[i % platforms.Length];
            var digest = Digest.Compute(RandomNumberGenerator.GetBytes(32));
            DigestDirectory.Write(
                directory,
                new DigestRecord(ImageReference.Parse("127.0.0.1:5000/demo/app"), digest, platform, $"1.0.0-{platform.Pair}"));
        }
    case ["merge", var registry, var repository, var version, var directory]:
        var records = DigestDirectory.Read(directory);
        using (var client = new RegistryClient(registry))
        {
            Console.WriteLine("started");
            var request = new MergeRequest(
                ImageReference.Create(registry, repository), records.Select(r => r.Platform!).Distinct().ToList(), records)
            {
                Tags = TagRules.For(version),
            };
            var result = await new ManifestMerger(client).MergeAsync(request);
            Console.WriteLine(result.Digest);
        }
        return 0;
    case ["cleanup", var image, var api]:
        Console.WriteLine("started");
        var report = await UntaggedCleaner.RunAsync(new CleanupRequest
        {
            Image = image, GitHubToken = Environment.GetEnvironmentVariable("GITHUB_TOKEN") ?? "", GitHubApiAddress = new Uri(api),
            RegistryUserName = null, DryRun = false, MaxDeletionsPerMinute = 0, ApiConcurrency = 1, Log = Console.Out,
        });
        Console.WriteLine(report.Outcome);
        return report.Outcome == CleanupOutcome.Completed ? 0 : 1;
    case ["pipeline", var pipelineRoot, .. var pipelineArgs]:
        return TargetBuild.Execute<PipelineBuild>(pipelineArgs, new BuildRunOptions { RootDirectory = new AbsolutePath(pipelineRoot) });
    case ["engine", .. var engineArgs]:
        // A root of its own: started from inside a repository, the engine would find that repository's .nuke/ and
        // write WaitingBuild's parameters over its build.schema.json.
        var root = Directory.CreateTempSubdirectory("multiarch-engine-");
        try
        {
            return TargetBuild.Execute<WaitingBuild>(
                engineArgs, new BuildRunOptions { RootDirectory = new AbsolutePath(root.FullName) });
        }
        finally { root.Delete(recursive: true); }
    default:
        Console.Error.WriteLine(
            "usage: write-records DIR | merge REGISTRY REPOSITORY VERSION DIR | cleanup IMAGE API_URL | pipeline ROOT TARGET... "
            + "| engine TARGET...");
        return 2;
}
