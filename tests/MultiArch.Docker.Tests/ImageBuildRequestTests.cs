using MultiArch.Oci;

namespace MultiArch.Docker.Tests;

[Trait("Category", "Unit")]
public sealed class ImageBuildRequestTests : IDisposable
{
    private readonly TemporaryBuildContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public void Missing_Dockerfile_names_the_path_and_the_fix()
    {
        var request = new ImageBuildRequest { ContextDirectory = _context.Directory, Dockerfile = "Dockerfile.base",
            Platform = Platform.LinuxArm64 };

        var error = request.Invoking(r => r.Validate()).Should().Throw<DockerInputException>().Which;

        error.Message.Should().Contain(Path.Combine(_context.Directory, "Dockerfile.base")).And.Contain("does not exist")
            .And.Contain("point Dockerfile at an existing file");
        error.Message.Should().NotContain("\n");
    }

    [Fact]
    public void Missing_context_directory_names_the_path_and_the_fix()
    {
        var missing = Path.Combine(_context.Directory, "no-such-dir");
        var request = new ImageBuildRequest { ContextDirectory = missing, Dockerfile = "Dockerfile", Platform = Platform.LinuxAmd64 };

        request.Invoking(r => r.Validate()).Should().Throw<DockerInputException>()
            .WithMessage($"Build context directory '{missing}' does not exist: create it*");
    }

    [Fact]
    public void Push_without_a_tag_is_refused_before_building()
    {
        _context.Write("Dockerfile", "FROM scratch\n");
        var request = new ImageBuildRequest { ContextDirectory = _context.Directory, Dockerfile = "Dockerfile",
            Platform = Platform.LinuxArmV7, Push = true };

        request.Invoking(r => r.Validate()).Should().Throw<DockerInputException>()
            .WithMessage("*set to push but has no tag*-arm-v7*");
    }

    [Fact]
    public void Dockerfile_path_is_resolved_from_the_context_directory()
    {
        var path = _context.Write("Dockerfile", "FROM scratch\n");
        var request = new ImageBuildRequest { ContextDirectory = _context.Directory, Dockerfile = "Dockerfile",
            Platform = Platform.LinuxAmd64 };

        request.Validate();
        request.DockerfilePath.Should().Be(path);
    }

    [Fact]
    public async Task Builder_refuses_a_missing_Dockerfile_before_running_docker()
    {
        // A client path that cannot run: reaching it would throw something other than DockerInputException.
        var builder = new ClassicImageBuilder(new DockerCli("/nonexistent/docker", null));
        var request = new ImageBuildRequest { ContextDirectory = _context.Directory, Dockerfile = "Dockerfile",
            Platform = Platform.LinuxArm64 };

        await builder.Invoking(b => b.BuildAsync(request, _ => { })).Should().ThrowAsync<DockerInputException>()
            .WithMessage($"Dockerfile '{Path.Combine(_context.Directory, "Dockerfile")}' does not exist*");
    }
}
