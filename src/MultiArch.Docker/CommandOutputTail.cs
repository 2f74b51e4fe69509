using System.Text.RegularExpressions;

namespace MultiArch.Docker;

/// <summary>
/// Remembers the end of a command's output so a failure can show the failing step's last lines.
/// BuildKit's plain progress prefixes every line with its step number (<c>#5 ...</c>), so for builds the lines of
/// the step that reported <c>ERROR</c> are kept apart from the interleaved output of the other steps. Outside a build
/// the telling line is on stderr (<c>docker push</c> prints <c>abc123: Preparing</c> on stdout and the cause on stderr),
/// so the error line is the last stderr line that reads like an error, not whichever line came last.
/// </summary>
internal sealed partial class CommandOutputTail
{
    /// <summary>How many lines a failure shows.</summary>
    public const int Size = 20;

    private readonly object _gate = new();
    private readonly Queue<string> _all = new();
    private readonly Dictionary<string, Queue<string>> _steps = new();
    private readonly Dictionary<string, string> _titles = new();
    private string? _failedStep;
    private string? _error;
    private string? _lastStderr;
    private string? _lastStderrError;

    /// <summary>Records one output line.</summary>
    /// <param name="line">The line, already redacted.</param>
    /// <param name="isStderr">Whether it came on standard error.</param>
    public void Add(string line, bool isStderr = false)
    {
        lock (_gate)
        {
            Push(_all, line);
            if (isStderr && !string.IsNullOrWhiteSpace(line))
            {
                _lastStderr = line.Trim();
                if (ErrorLike().IsMatch(line)) _lastStderrError = line.Trim();
            }
            var match = StepLine().Match(line);
            if (!match.Success) return;
            var (step, text) = (match.Groups[1].Value, match.Groups[2].Value);
            if (!_steps.TryGetValue(step, out var lines))
            {
                _steps[step] = lines = new Queue<string>();
                _titles[step] = text; // BuildKit's first line of a step is its title, e.g. "[2/2] RUN make"
            }
            if (text.StartsWith("ERROR", StringComparison.Ordinal))
            {
                _failedStep ??= step;
                _error ??= text.Length > 6 ? text[6..].Trim() : text;
            }
            if (!text.StartsWith("sha256:", StringComparison.Ordinal)) Push(lines, line);
        }
    }

    /// <summary>The title of the BuildKit step that failed (e.g. <c>[2/2] RUN make</c>), or null.</summary>
    public string? FailedStepTitle { get { lock (_gate) return _failedStep is null ? null : _titles[_failedStep]; } }

    /// <summary>
    /// The failing step's error text; else the last stderr line that reads like an error; else the last stderr line;
    /// else the last non-empty line of output.
    /// </summary>
    public string? ErrorLine
    {
        get
        {
            lock (_gate)
                return _error ?? _lastStderrError ?? _lastStderr ?? _all.LastOrDefault(line => !string.IsNullOrWhiteSpace(line))?.Trim();
        }
    }

    /// <summary>The failing step's last lines when a step failed, else the last lines of all output.</summary>
    public IReadOnlyList<string> Lines
    {
        get { lock (_gate) return (_failedStep is null ? _all : _steps[_failedStep]).ToArray(); }
    }

    private static void Push(Queue<string> queue, string line)
    {
        queue.Enqueue(line);
        if (queue.Count > Size) queue.Dequeue();
    }

    // Docker's own wording for failures: "Error response from daemon: ...", "unauthorized: ...", "denied: ...", "no
    // basic auth credentials".
    [GeneratedRegex(@"error|denied|unauthorized|forbidden|credentials|failed|refused|timeout|timed out|not found|no such",
        RegexOptions.IgnoreCase)]
    private static partial Regex ErrorLike();

    [GeneratedRegex(@"^#(\d+) (.*)$")]
    private static partial Regex StepLine();
}
