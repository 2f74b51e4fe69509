using System.Xml.Linq;
using MultiArch.Build;

// Restore, compile, test and pack the solution.
partial class Build : IPushPackages
{
    [Parameter("Test categories to run (Unit, Registry, Docker, Machine); all when empty")] readonly string[] Category = [];

    Target Restore => _ => _
        .Description("Restores the solution's NuGet packages")
        .Executes(() => DotNet($"restore {Solution}"));

    Target Compile => _ => _
        .Description("Compiles the solution")
        .DependsOn(Restore)
        .Executes(() => DotNet($"build {Solution} --no-restore -c {Configuration}"));

    Target Test => _ => _
        .Description("Runs every test project and prints 'N passed, N failed'")
        .DependsOn(TestServices, Compile)
        .Executes(() =>
        {
            var results = ArtifactsDirectory / "test-results";
            if (results.DirectoryExists()) Directory.Delete(results, recursive: true);
            var filter = Category.Length == 0 ? "" : $" --filter \"{string.Join("|", Category.Select(c => $"Category={c}"))}\"";
            var exitCode = DotNet($"test {Solution} --no-build -c {Configuration} --logger trx "
                + $"--results-directory {results}{filter}", check: false);
            var (passed, failed, skipped) = CountResults(results);
            AddSummary($"{passed} passed, {failed} failed{(skipped > 0 ? $", {skipped} skipped" : "")}");
            if (exitCode != 0 || failed > 0) throw new Exception($"dotnet test failed: {failed} failed test(s), exit code {exitCode}. "
                + "See the output above.");
            if (passed == 0) throw new Exception("dotnet test ran no test; check the test projects and the --category filter.");
        });

    // Packages are always Release, whatever --configuration the tests ran with: a package is what users run.
    Target Pack => _ => _
        .Description("Packs the NuGet packages (Release) into artifacts/packages")
        .DependsOn(Restore)
        .DependentFor<IPushPackages>()
        .Executes(() =>
        {
            if (PackagesDirectory.DirectoryExists()) Directory.Delete(PackagesDirectory, recursive: true);
            DotNet($"pack {Solution} --no-restore -c Release -o {PackagesDirectory}");
        });

    public AbsolutePath PackagesDirectory => ArtifactsDirectory / "packages";

    // Counts the test results of every .trx file the run wrote (one per test project). The results themselves, not the
    // <Counters> element: VSTest leaves its notExecuted counter at 0 for skipped tests while each result says NotExecuted.
    static (int Passed, int Failed, int Skipped) CountResults(AbsolutePath directory)
    {
        if (!directory.DirectoryExists()) return (0, 0, 0);
        int passed = 0, failed = 0, skipped = 0;
        foreach (var file in Directory.EnumerateFiles(directory, "*.trx", SearchOption.AllDirectories))
            foreach (var result in XDocument.Load(file).Descendants().Where(e => e.Name.LocalName == "UnitTestResult"))
                switch (result.Attribute("outcome")?.Value)
                {
                    case "Passed": passed++; break;
                    case "NotExecuted" or "Inconclusive" or "NotRunnable": skipped++; break;
                    default: failed++; break; // Failed, Error, Timeout, Aborted
                }
        return (passed, failed, skipped);
    }

    int DotNet(string arguments, bool check = true) => Tool.Run(Log, "dotnet", arguments, RootDirectory, check, Cancellation);
}
