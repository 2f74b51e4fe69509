namespace MultiArch.Workflows.Local;

/// <summary>
/// An event a local run simulates (<c>github.event_name</c>), parsed once from <c>--local-event</c>: a name outside
/// the list, typed on the command line, fails at start-up with the list, before anything runs.
/// </summary>
public sealed record GitHubEvent
{
    /// <summary>The events a local run can simulate.</summary>
    public static IReadOnlyList<string> Names { get; } = ["workflow_dispatch", "push", "pull_request", "schedule"];

    /// <summary>A manual run, the default.</summary>
    public static GitHubEvent WorkflowDispatch { get; } = new("workflow_dispatch");

    GitHubEvent(string name) => Name = name;

    /// <summary>The event's name as <c>github.event_name</c> gives it.</summary>
    public string Name { get; }

    /// <summary>The <c>github.ref</c> a run of this event has: a pull request's merge ref, else the main branch.</summary>
    public string Ref => Name == "pull_request" ? "refs/pull/1/merge" : "refs/heads/main";

    /// <summary>Parses one of <see cref="Names"/>.</summary>
    /// <exception cref="FormatException">Any other text, with the names to use.</exception>
    public static GitHubEvent Parse(string text) => Names.Contains(text, StringComparer.Ordinal) ? new(text)
        : throw new FormatException($"'{text}' is not an event a local run simulates; use one of {string.Join(", ", Names)}.");

    /// <inheritdoc/>
    public override string ToString() => Name;
}
