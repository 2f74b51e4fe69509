using System.Xml.Linq;
using MultiArch.Build;

// Restore, compile, test and pack the solution.
partial class Build
{
    [Parameter("Test categories to run (Unit, Registry, Docker); all when empty")] readonly string[] Category = [];

    Target Restore => _ => _
        .Description("Restores the solution's NuGet packages")
        .Executes(() => DotNet($"restore {Solution}"));

    Target Compile => _ => _
        .Description("Compiles the solution")
        .DependsOn(Restore)
        .Executes(() => DotNet($"build {Solution} --no-restore -c {Configuration}"));

    Target Test => _ => _
        .Description("Runs every test project and prints 'N passed, N failed'")
        .DependsOn(Compile)
        .Executes(() =>
        {
            var results = ArtifactsDirectory / "test-results";
            if (results.DirectoryExists()) Directory.Delete(results, recursive: true);
            var filter = Category.Length == 0 ? "" : $" --filter \"{string.Join("|", Category.Select(c => $"Category={c}"))}\"";
            var exitCode = DotNet($"test {Solution} --no-build -c {Configuration} --logger trx --results-directory {results}{filter}", check: false);
            var (passed, failed, skipped) = CountResults(results);
            AddSummary($"{passed} passed, {failed} failed{(skipped > 0 ? $", {skipped} skipped" : "")}");
            if (exitCode != 0 || failed > 0) throw new Exception($"dotnet test failed: {failed} failed test(s), exit code {exitCode}. See the output above.");
            if (passed == 0) throw new Exception("dotnet test ran no test; check the test projects and the --category filter.");
        });

    Target Pack => _ => _
        .Description("Packs the NuGet packages into artifacts/packages")
        .DependsOn(Compile)
        .Executes(() => DotNet($"pack {Solution} -c {Configuration} -o {ArtifactsDirectory / "packages"}"));

    // Sums the counters of every .trx file the run wrote (one per test project).
    static (int Passed, int Failed, int Skipped) CountResults(AbsolutePath directory)
    {
        if (!directory.DirectoryExists()) return (0, 0, 0);
        int passed = 0, failed = 0, skipped = 0;
        foreach (var file in Directory.EnumerateFiles(directory, "*.trx", SearchOption.AllDirectories))
        {
            var counters = XDocument.Load(file).Descendants().First(e => e.Name.LocalName == "Counters");
            int Read(string name) => int.Parse(counters.Attribute(name)?.Value ?? "0");
            passed += Read("passed");
            failed += Read("failed") + Read("error") + Read("timeout") + Read("aborted");
            skipped += Read("notExecuted");
        }
        return (passed, failed, skipped);
    }

    int DotNet(string arguments, bool check = true) => Tool.Run(Log, "dotnet", arguments, RootDirectory, check, Cancellation);
}
