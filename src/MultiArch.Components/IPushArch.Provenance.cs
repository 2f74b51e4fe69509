using MultiArch.Build;
using MultiArch.Oci;
using MultiArch.Oci.Provenance;

namespace MultiArch.Components;

// --attest provenance: without buildx, MultiArch writes the SLSA v1 statement itself and attaches it to each per-arch
// image as an OCI 1.1 referrer, so the merged index lists only real platforms (no unknown/unknown entries).
public partial interface IPushArch
{
    /// <summary>Which attestations to attach to each pushed per-arch image, as OCI 1.1 referrers.</summary>
    [Parameter("Attestations to attach to each pushed per-arch image as OCI 1.1 referrers (the index keeps "
        + "only real platforms): provenance")]
    string[] Attest => TryGetValue(() => Attest) ?? [];

    /// <summary>True when <c>--attest</c> asks for provenance; any other value fails with its fix.</summary>
    sealed bool AttestsProvenance => Attest.Select(a => a.Trim().ToLowerInvariant()).Select(kind => kind switch
    {
        "provenance" => true,
        "sbom" => throw new BuildException("--attest sbom: an SBOM needs docker buildx, which this pipeline does not use; MultiArch writes "
            + "only provenance itself: use --attest provenance."),
        _ => throw new BuildException($"--attest {kind}: unknown attestation; the one supported is provenance (--attest provenance)."),
    }).ToList().Count > 0;

    /// <summary>
    /// Writes the SLSA v1 provenance of the image just pushed (source and commit, workflow, build arguments with secrets
    /// redacted, base image digests) and pushes it as a referrer of <paramref name="manifest"/> where the image is.
    /// </summary>
    sealed async Task AttachProvenanceAsync(ImageDefinition image, Platform platform, ImageReference target, ImageReference reference,
        ManifestDocument manifest, LanePlan plan)
    {
        var git = PipelineContext.Of(Build).Git(Build);
        if (git.Revision is null || git.SourceUrl is null)
            throw new BuildException("--attest provenance: the source repository or commit is unknown (no GITHUB_SHA/GITHUB_REPOSITORY and "
                + "no git checkout with an origin remote); run from a clone, or drop --attest.");
        var env = Build.Environment;
        var server = env.GetValueOrDefault("GITHUB_SERVER_URL") ?? "https://github.com";
        // In Actions the builder is the workflow at its ref (GITHUB_WORKFLOW_REF: owner/repo/.github/workflows/x.yml@ref),
        // and the invocation the run's attempt; a local run names itself.
        var workflowRef = env.GetValueOrDefault("GITHUB_WORKFLOW_REF");
        var inActions = workflowRef is { Length: > 0 } && env.ContainsKey("GITHUB_RUN_ID");
        var workflowPath = workflowRef?.Split('@')[0];
        var inputs = new ProvenanceInputs(
            target.WithoutTagOrDigest(), manifest.Digest, platform,
            Relative(image.Dockerfile!), Relative(image.EffectiveContext),
            git.SourceUrl, git.Revision,
            inActions ? $"{server}/{workflowRef}" : "urn:multiarch:local-build",
            inActions
                ? $"{server}/{env.GetValueOrDefault("GITHUB_REPOSITORY")}/actions/runs/{env["GITHUB_RUN_ID"]}"
                    + $"/attempts/{env.GetValueOrDefault("GITHUB_RUN_ATTEMPT") ?? "1"}"
                : $"urn:multiarch:run:{PipelineContext.Of(Build).RunId}")
        {
            Workflow = inActions && workflowPath!.IndexOf(".github/", StringComparison.Ordinal) is var at and >= 0
                ? workflowPath[at..] : null,
            Ref = env.GetValueOrDefault("GITHUB_REF") ?? (git.Branch is { } branch ? $"refs/heads/{branch}" : null),
            BuildArgs = plan.App.BuildArgs,
            SecretValues = Build.ParameterService.SecretValues,
            BaseImages = plan.BaseImages,
            FinishedOn = DateTimeOffset.UtcNow,
        };
        InTotoStatement statement;
        try { statement = inputs.ToStatement(); }
        catch (OciInputException e) { throw new BuildException(e.Message); }
        var referrer = await ReferrerPublisher.AttachAsync(RegistryClientFor(reference.Registry), reference.Repository,
            manifest.ToDescriptor(),
            statement.ToJson(), InTotoStatement.MediaType, cancellationToken: Build.Cancellation);
        Build.Log.Info($"Attached provenance {referrer.Digest} to {reference}@{manifest.Digest} ({platform}) as an OCI referrer");
    }

    private string Relative(AbsolutePath path) => Path.GetRelativePath(Build.RootDirectory, path).Replace('\\', '/');
}
