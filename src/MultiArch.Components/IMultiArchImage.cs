namespace MultiArch.Components;

/// <summary>
/// The whole pipeline in one interface: BuildBase, BuildApp, PushArch, ExportDigest, MergeManifest and
/// CleanupUntagged. A build implements it and declares its <see cref="IMultiArchPipeline.Image"/>.
/// </summary>
public interface IMultiArchImage : ICleanupUntagged;
