namespace MultiArch.Build;

/// <summary>
/// A typed settings hook, as in NUKE: a component exposes one as an overridable property
/// (<c>Configure&lt;DockerBuildSettings&gt; BuildAppSettings =&gt; s =&gt; s;</c>) and applies it where it builds its
/// settings, so a build changes the settings by overriding the property, not the target.
/// </summary>
public delegate TSettings Configure<TSettings>(TSettings settings);
