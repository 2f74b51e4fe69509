namespace MultiArch.Build.Tests.Support;

/// <summary>
/// What the test builds' actions did, in order. It flows with the test's async context (not a plain static), so test
/// classes running in parallel never see each other's entries, while parallel partition lanes still record here.
/// </summary>
public sealed class Journal
{
    static readonly AsyncLocal<Journal?> CurrentJournal = new();
    readonly List<string> _entries = [];

    /// <summary>The journal of the running test; a fresh one when none was started.</summary>
    public static Journal Current => CurrentJournal.Value ??= new Journal();

    /// <summary>Starts a fresh journal for the calling test.</summary>
    public static Journal Start() => CurrentJournal.Value = new Journal();

    /// <summary>Appends an entry (thread-safe: partition lanes record concurrently).</summary>
    public static void Record(string entry)
    {
        var journal = Current;
        lock (journal._entries) journal._entries.Add(entry);
    }

    /// <summary>The entries so far, in the order they were recorded.</summary>
    public IReadOnlyList<string> Entries
    {
        get { lock (_entries) return [.. _entries]; }
    }
}
