using System.Text.RegularExpressions;

namespace MultiArch.Components;

/// <summary>
/// Turns <c>docker push</c>'s per-layer lines into progress: a bar per completed layer locally, the plain lines
/// in CI (where a redrawn bar would only spam the log).
/// </summary>
public sealed partial class PushProgress(Action<string> write, bool plain)
{
    readonly HashSet<string> _layers = [], _done = [];

    /// <summary>Feeds one output line.</summary>
    public void OnLine(string line)
    {
        if (plain) { write(line); return; }
        var match = LayerLine().Match(line);
        if (!match.Success) { if (line.Contains("digest:")) write(line); return; }
        var (layer, state) = (match.Groups[1].Value, match.Groups[2].Value);
        _layers.Add(layer);
        if (state is "Pushed" or "Layer already exists" or "Mounted from" && _done.Add(layer)) write(Bar());
    }

    /// <summary>The bar, e.g. <c>push [██████░░░░] 3/5 layers</c>.</summary>
    public string Bar()
    {
        const int width = 20;
        var filled = _layers.Count == 0 ? 0 : width * _done.Count / _layers.Count;
        return $"push [{new string('█', filled)}{new string('░', width - filled)}] {_done.Count}/{_layers.Count} layers";
    }

    [GeneratedRegex(@"^([0-9a-f]{12}): (Preparing|Waiting|Pushing|Pushed|Layer already exists|Mounted from)")]
    private static partial Regex LayerLine();
}
