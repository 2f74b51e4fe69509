using MultiArch.Build;
using MultiArch.Oci;

using MultiArch.Components;

namespace MultiArch.Hardening.Tests;

/// <summary>
/// Issue 12's downstream, as a new user wrote it: two images, <c>newcomer/api</c> for three platforms and
/// <c>newcomer/worker</c> for two. Both are single-stage busybox images (no RUN step, so foreign platforms build
/// quickly under QEMU); their titles differ, so their content and digests differ.
/// </summary>
public sealed class NewcomerBuild : TargetBuild, IMultiArchImage
{
    /// <summary>The busybox index LocalServices publishes from Debian's packages (this machine has no Docker Hub).</summary>
    public const string BusyboxIndex = "127.0.0.1:5000/multiarch/busybox:1.35";

    [Parameter("Folder holding the worker's Dockerfile (a test points it at a broken one)")]
    readonly AbsolutePath WorkerDirectory = new AbsolutePath(RepositoryRoot.Path) / "examples" / "hello-slim";

    /// <inheritdoc />
    public IReadOnlyList<ImageDefinition> Images =>
    [
        new("newcomer/api")
        {
            Dockerfile = new AbsolutePath(RepositoryRoot.Path) / "examples" / "hello-slim" / "Dockerfile",
            BuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = BusyboxIndex },
            Platforms = [Platform.LinuxAmd64, Platform.LinuxArm64, Platform.LinuxArmV7],
            Description = "The newcomer's API",
        },
        new("newcomer/worker")
        {
            Dockerfile = WorkerDirectory / "Dockerfile",
            BuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = BusyboxIndex },
            Platforms = [Platform.LinuxAmd64, Platform.LinuxArm64],
            Description = "The newcomer's worker",
        },
    ];
}
