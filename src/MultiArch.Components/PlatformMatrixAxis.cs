using MultiArch.Oci;
using MultiArch.Workflows;

namespace MultiArch.Components;

/// <summary>
/// The pipeline's platform axis as matrix legs: each platform on the runner the workflow's <see cref="RunnerMap"/> names
/// (arm64 natively on the arm64 runner, others emulated), <c>platform_pair</c> for file and artifact names
/// (<see cref="Platform.Pair"/>), and the QEMU keys <see cref="DockerWorkflowSteps"/> reads: <c>emulated</c> and
/// <c>qemu</c> for an emulated leg, <c>qemu_unless_native</c> for a 32-bit arm leg on the arm64 runner.
/// </summary>
public sealed class PlatformMatrixAxis : MatrixAxis
{
    /// <summary>The one instance.</summary>
    public static PlatformMatrixAxis Instance { get; } = new();

    PlatformMatrixAxis() { }

    /// <inheritdoc/>
    public override string Name => IMultiArchPipeline.PlatformAxis;

    /// <inheritdoc/>
    public override Runner RunnerFor(WorkflowDefinition definition, string value) => definition.Runners.For(value);

    /// <inheritdoc/>
    public override string SlugKey => "platform_pair";

    // The cell holds the platform the pipeline wrote; read back once here for its pair.
    /// <inheritdoc/>
    public override string Slug(string value) => Platform.Parse(value).Pair;

    /// <inheritdoc/>
    public override void AddKeys(string value, Runner runner, OrderedDictionary<string, string> keys)
    {
        keys[SlugKey] = Slug(value);
        if (runner.Emulated)
        {
            keys["emulated"] = "true";
            keys["qemu"] = QemuPlatforms.Of(value);
        }
        else if (QemuPlatforms.MayRunNatively(runner, value)) keys["qemu_unless_native"] = QemuPlatforms.Of(value);
    }
}
