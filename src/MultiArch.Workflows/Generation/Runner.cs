namespace MultiArch.Workflows;

/// <summary>A GitHub runner label, and whether legs on it emulate their platform (and so need a QEMU setup step).</summary>
/// <param name="Label">The <c>runs-on</c> label, e.g. <c>ubuntu-24.04-arm</c>.</param>
/// <param name="Emulated">True when the runner's own architecture differs from the platform.</param>
public sealed record Runner(string Label, bool Emulated = false);
