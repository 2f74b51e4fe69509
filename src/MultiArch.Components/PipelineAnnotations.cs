namespace MultiArch.Components;

/// <summary>Annotation keys the pipeline's targets carry, read by the workflow contributors in this project.</summary>
public static class PipelineAnnotations
{
    /// <summary>The target builds images with Docker (the job needs Docker set up, and QEMU for foreign legs).</summary>
    public const string BuildsImages = "multiarch.builds-images";
    /// <summary>The target builds a base image that a later build starts FROM (needs the containerd image store on runners).</summary>
    public const string BuildsBaseImage = "multiarch.builds-base-image";
    /// <summary>The target talks to the registry (the job logs in).</summary>
    public const string UsesRegistry = "multiarch.uses-registry";
    /// <summary>The target mirrors the index to the other --registries (the job also logs in to each of them).</summary>
    public const string MirrorsIndex = "multiarch.mirrors-index";
    /// <summary>The target deletes package versions through the GitHub API (the job needs the token and packages: write).</summary>
    public const string DeletesPackages = "multiarch.deletes-packages";
}
