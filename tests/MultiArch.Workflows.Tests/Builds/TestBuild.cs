using MultiArch.Build;

namespace MultiArch.Workflows.Tests;

/// <summary>A build with workflows whose instance a test can reach after <c>Execute</c> (for its graph). Its
/// <c>platform</c> axis is described as the pipeline's is.</summary>
public abstract class TestBuild : TargetBuild, IGitHubWorkflows, IDescribesMatrixAxes
{
    public IReadOnlyList<MatrixAxis> MatrixAxes => [MultiArch.Components.PlatformMatrixAxis.Instance];

    static readonly AsyncLocal<TestBuild?> LastBuilt = new();

    protected TestBuild() => LastBuilt.Value = this;

    /// <summary>The instance the last Execute on this async flow created.</summary>
    public static TestBuild Last => LastBuilt.Value ?? throw new InvalidOperationException("No build ran on this test's flow.");

    public abstract IEnumerable<WorkflowDefinition> Workflows { get; }
}
