using System.Text.RegularExpressions;

namespace MultiArch.Downstream.Tests;

// Every ```csharp block of README.md and docs/*.md compiles as shown, usings included, against our packages (as a reader's build would).
[Trait("Category", "Unit")]
[Collection(DownstreamCollection.Name)]
public sealed class ReadmeSnippetTests(DownstreamSample sample)
{
    [Fact]
    public async Task Every_csharp_block_in_the_README_and_the_docs_compiles_as_shown_against_the_packages()
    {
        var pages = new[] { Path.Combine(RepositoryRoot.Path, "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "docs"), "*.md").Order(StringComparer.Ordinal)).ToList();
        var found = new List<(string Page, string Code)>();
        foreach (var page in pages)
            found.AddRange(Regex.Matches(await File.ReadAllTextAsync(page), @"(?ms)^```csharp\n(.*?)^```")
                .Select(m => (Path.GetFileName(page), m.Groups[1].Value)));
        found.Count(s => s.Page == "README.md").Should().BeGreaterThanOrEqualTo(3,
            "the README shows the workflow definition, the template's and the sample's build");
        found.Count(s => s.Page == "guide.md").Should().BeGreaterThanOrEqualTo(3,
            "the guide shows a single-stage build, triggers and a target of your own");
        var snippets = found.Select(s => s.Code).ToList();

        var project = Directory.CreateDirectory(Path.Combine(sample.Directory.FullName, "readme-snippets")).FullName;
        await sample.WriteNuGetConfigAsync(project);
        // A library: each snippet is a whole file, and several declare their own Main.
        await File.WriteAllTextAsync(Path.Combine(project, "ReadmeSnippets.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="MultiArch.Components" Version="{sample.Version}" />
              </ItemGroup>
            </Project>
            """);
        // Each snippet in a namespace of its own (file-scoped, so its usings stay as written), and nothing else added.
        for (var i = 0; i < snippets.Count; i++)
            await File.WriteAllTextAsync(Path.Combine(project, $"Snippet{i + 1}.cs"), $"namespace ReadmeSnippet{i + 1};\n{snippets[i]}");

        var build = await DownstreamSample.RunProcessAsync("dotnet", ["build", project, "-nologo", "-v:q"], project,
            new Dictionary<string, string>());

        build.ExitCode.Should().Be(0, "every snippet compiles (SnippetN.cs is the Nth ```csharp block of " +
            $"{string.Join(", ", pages.Select(Path.GetFileName))}, in that order):\n" + build.Output);
        build.Output.Should().NotMatchRegex(@"error CS\d+");
    }
}
