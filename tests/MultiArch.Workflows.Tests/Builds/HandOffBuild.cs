using MultiArch.Build;
using MultiArch.Workflows.Local;

namespace MultiArch.Workflows.Tests;

/// <summary>
/// A tiny build for the local runner: <c>Stamp</c> runs per platform and produces a folder, <c>Collect</c> fans in,
/// reads it and reports an output. Its workflow calls <c>./fake-build.sh</c>, a bash stand-in for the real build.
/// </summary>
public sealed class HandOffBuild : TestBuild, IRunWorkflowsLocally
{
    [Parameter("Platforms")] public string[] Platform = ["linux/amd64", "linux/arm64", "linux/arm/v7"];
    [Parameter("Version")] public string? Version;
    [Parameter("Token"), Secret] public string? PublishToken;

    public Target Stamp => _ => _.PartitionedBy("platform").Produces("out/stamps")
        .Annotate(WorkflowAnnotations.Job, "stamp").Annotate(WorkflowAnnotations.Outputs, "version");
    public Target Collect => _ => _.DependsOn(Stamp).Consumes("out/stamps").Annotate(WorkflowAnnotations.Outputs, "manifest")
        .Annotate(WorkflowAnnotations.Job, "collect");
    public Target Report => _ => _.DependsOn(Collect);

    public override IEnumerable<WorkflowDefinition> Workflows =>
    [
        new WorkflowDefinition("hand-off", "Hand-off")
            .OnDispatch()
            .Invokes(nameof(Collect))
            .WithBuildScript("./fake-build.sh")
            .Secret(nameof(PublishToken), "PUBLISH_TOKEN"),
    ];

    /// <summary>The stand-in: Stamp writes out/stamps/&lt;pair&gt; and a version output; Collect lists what it received.</summary>
    public const string FakeBuildScript = """
        #!/usr/bin/env bash
        set -euo pipefail
        targets=(); platform=""; skip=false
        while [ $# -gt 0 ]; do
          case "$1" in
            --platform) platform="$2"; shift 2 ;;
            --skip) skip=true; shift ;;
            *) targets+=("$1"); shift ;;
          esac
        done
        for target in "${targets[@]}"; do
          case "$target" in
            Stamp)
              pair="${platform#linux/}"; pair="${pair//\//-}"
              mkdir -p out/stamps
              echo "$platform" > "out/stamps/$pair"
              echo "stamped $platform with token $MULTIARCH_PUBLISH_TOKEN"
              echo "version=1.2.3" >> "$GITHUB_OUTPUT"
              ;;
            Collect)
              [ "$skip" = true ] || { echo "fan-in must run with --skip" >&2; exit 3; }
              echo "manifest=$(cat out/stamps/* | sort | paste -sd, -) v$MULTIARCH_VERSION" >> "$GITHUB_OUTPUT"
              ;;
          esac
        done
        """;
}
