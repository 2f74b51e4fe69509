namespace MultiArch.Workflows;

/// <summary>
/// <c>actions/cache</c> (v5.0.5 action.yml: <c>using: 'node24'</c>, checked in the actions/cache repository at tag
/// v5.0.5, commit 27d5ce7) for the NuGet packages and the compiled build program, so a warm job skips restore and
/// compile: build.sh compares a content hash of its inputs, not mtimes, so restored files count as up to date.
/// </summary>
public static class BuildProgramCache
{
    /// <summary>
    /// What the compiled program depends on: build/** and src/** (without their outputs), every project file,
    /// Directory.Packages.props (which pins the MultiArch package version downstream), Directory.Build.props and global.json.
    /// </summary>
    public const string Key =
        "multiarch-build-${{ runner.os }}-${{ hashFiles('build/**', '!build/bin/**', '!build/obj/**', 'src/**', '!src/**/bin/**', "
            + "'!src/**/obj/**', "
        + "'**/*.csproj', 'Directory.Packages.props', 'Directory.Build.props', 'global.json') }}";

    /// <summary>The restore-and-save step, placed before the build runs.</summary>
    public static IJobContributor Contributor { get; } = JobContributors.From(_ =>
    [
        new Step
        {
            Name = "Cache NuGet packages and the build program",
            Uses = ActionVersions.Cache.Reference,
            With = { ["path"] = "~/.nuget/packages\nbuild/bin\n.nuke/temp/build.stamp", ["key"] = Key },
        },
    ]);
}
