using MultiArch.Processes;
namespace MultiArch.Build;

/// <summary>How much a run prints: Quiet (warnings, errors and the summary), Normal (every line), Verbose (also stack
/// traces for failures). The full log file always gets everything.</summary>
public enum Verbosity { Quiet, Normal, Verbose }

/// <summary>
/// Every line the build prints goes through here: secret values are replaced by <c>***</c>, and lines written
/// inside a partition are prefixed with it (so parallel platforms stay readable). Each line also goes to the full
/// log file, whatever the verbosity; warnings and errors also become host annotations (GitHub's ::warning::).
/// </summary>
public sealed class BuildLog
{
    readonly TextWriter _out;
    TextWriter? _file;
    readonly object _gate = new();
    readonly AsyncLocal<string?> _prefix = new();

    /// <summary>Creates a log over a writer (the console, or a test's StringWriter).</summary>
    public BuildLog(TextWriter output) => _out = output;
    /// <summary>What reaches the console; the log file always gets every line.</summary>
    public Verbosity Verbosity { get; set; } = Verbosity.Normal;
    /// <summary>Raised for each warning or error, with the current target's title, so a host can annotate it.</summary>
    internal Action<string, string?, string>? Annotate;

    readonly AsyncLocal<string?> _target = new();
    /// <summary>The title of the target running in the current async flow (for annotations).</summary>
    internal string? Target { get => _target.Value; set => _target.Value = value; }
    /// <summary>Also writes every (masked) line to <paramref name="path"/>, from now until <see cref="CloseFile"/>.</summary>
    internal void TeeTo(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        lock (_gate) _file = new StreamWriter(path, append: false) { AutoFlush = true };
    }

    /// <summary>Stops writing the log file.</summary>
    internal void CloseFile() { lock (_gate) { _file?.Dispose(); _file = null; } }
    /// <summary>Raised after a secret is registered, so a host can announce it (GitHub's ::add-mask::).</summary>
    internal Action<string>? SecretRegistered;
    /// <summary>The build's one masker: every line here, and every child process's output, goes through it.</summary>
    public SecretMasker Masker { get; } = new();
    /// <summary>Masks this value in every later line (see <see cref="SecretMasker.Add"/>) and announces each new part.</summary>
    public void AddSecret(string value) { foreach (var part in Masker.Add(value)) SecretRegistered?.Invoke(part); }

    /// <summary>Replaces every secret in <paramref name="text"/> with <c>***</c>.</summary>
    public string Mask(string text) => Masker.Mask(text);
    /// <summary>The prefix for lines written in the current async flow (set per partition by the executor).</summary>
    public string? Prefix { get => _prefix.Value; set => _prefix.Value = value; }
    /// <summary>An ordinary line (not shown with --verbosity quiet).</summary>
    public void Info(string message) => Write(message, quiet: false);
    /// <summary>A warning line; under GitHub Actions also a ::warning annotation naming the target.</summary>
    public void Warn(string message) { Write("warning: " + message, quiet: true); Annotate?.Invoke("warning", Target, Mask(message)); }
    /// <summary>An error line; under GitHub Actions also an ::error annotation naming the target.</summary>
    public void Error(string message) { Write("error: " + message, quiet: true); Annotate?.Invoke("error", Target, Mask(message)); }
    /// <summary>A titled block of lines: <c>using (Log.Group("Pushing")) { ... }</c>.</summary>
    public IDisposable Group(string title)
    { Write($"┌ {title}", quiet: false); return new GroupEnd(() => Write($"└ {title}", quiet: false)); }

    sealed class GroupEnd(Action end) : IDisposable { public void Dispose() => end(); }
    /// <summary>Writes a line (masked and prefixed); multi-line text is prefixed line by line.</summary>
    public void Write(string message) => Write(message, quiet: false);

    void Write(string message, bool quiet)
    {
        var prefix = Prefix is { } p ? $"[{p}] " : "";
        var masked = Mask(message);
        lock (_gate)
        {
            foreach (var line in masked.Split('\n'))
            {
                var text = prefix + line.TrimEnd('\r');
                if (quiet || Verbosity != Verbosity.Quiet) _out.WriteLine(text);
                _file?.WriteLine(text);
            }
            _out.Flush();
        }
    }

    /// <summary>Writes text exactly (masked, no prefix): tables, host commands.</summary>
    public void Raw(string text)
    {
        var masked = Mask(text);
        lock (_gate) { _out.Write(masked); _out.Flush(); _file?.Write(masked); }
    }
}

/// <summary>
/// What <c>Console.Out</c> becomes while a build runs in a real process: a target's own <c>Console.WriteLine</c>
/// goes through the log like every other line (masked, with its lane's prefix), so parallel lanes stay readable.
/// </summary>
sealed class ConsoleToLog(Func<BuildLog> log) : TextWriter
{
    readonly System.Text.StringBuilder _line = new();

    public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_line)
        {
            if (value == '\n') { log().Write(_line.ToString()); _line.Clear(); }
            else if (value != '\r') _line.Append(value);
        }
    }

    public override void Write(string? value) { foreach (var c in value ?? "") Write(c); }

    public override void Flush() { lock (_line) if (_line.Length > 0) { log().Write(_line.ToString()); _line.Clear(); } }
}
