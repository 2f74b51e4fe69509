using System.Text.RegularExpressions;

namespace MultiArch.Downstream.Tests;

// Every ```csharp block of README.md compiles as shown, usings included, against our packages (as a reader's build would).
[Trait("Category", "Unit")]
[Collection(DownstreamCollection.Name)]
public sealed class ReadmeSnippetTests(DownstreamSample sample)
{
    [Fact]
    public async Task Every_csharp_block_in_the_README_compiles_as_shown_against_the_packages()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "README.md"));
        var snippets = Regex.Matches(readme, @"(?ms)^```csharp\n(.*?)^```").Select(m => m.Groups[1].Value).ToList();
        snippets.Should().HaveCountGreaterThanOrEqualTo(3, "the README shows the workflow definition, the template's and the sample's build");

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

        var build = await DownstreamSample.RunProcessAsync("dotnet", ["build", project, "-nologo", "-v:q"], project, new Dictionary<string, string>());

        build.ExitCode.Should().Be(0, "every README snippet compiles (SnippetN.cs is the Nth ```csharp block):\n" + build.Output);
        build.Output.Should().NotMatchRegex(@"error CS\d+");
    }
}
