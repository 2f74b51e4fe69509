namespace MultiArch.Bench.Merge;

/// <summary>Command-line settings of the merge benchmark.</summary>
internal sealed record BenchOptions(int[] PlatformCounts, long[] LayerMiB, int Runs, string Output)
{
    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions([2, 4, 8], [1, 512], 5, Path.Combine(RepositoryRoot(), "bench", "results", "merge.md"));
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options = args[i] switch
            {
                "--platforms" => options with { PlatformCounts = args[i + 1].Split(',').Select(int.Parse).ToArray() },
                "--layers-mib" => options with { LayerMiB = args[i + 1].Split(',').Select(long.Parse).ToArray() },
                "--runs" => options with { Runs = int.Parse(args[i + 1]) },
                "--output" => options with { Output = Path.GetFullPath(args[i + 1]) },
                _ => throw new ArgumentException(
                    $"Unknown option '{args[i]}': use --platforms 2,4,8 --layers-mib 1,512 --runs 5 --output FILE."),
            };
        }
        return options;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MultiArch.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
