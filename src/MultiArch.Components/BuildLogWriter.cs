using System.Text;
using MultiArch.Build;

namespace MultiArch.Components;

/// <summary>A TextWriter over the build log, line by line, so a library's output is masked and prefixed too.</summary>
public sealed class BuildLogWriter(BuildLog log) : TextWriter
{
    readonly StringBuilder _line = new();

    /// <inheritdoc />
    public override Encoding Encoding => Encoding.UTF8;

    /// <inheritdoc />
    public override void Write(char value)
    {
        lock (_line)
        {
            if (value != '\n') { _line.Append(value); return; }
            log.Write(_line.ToString().TrimEnd('\r'));
            _line.Clear();
        }
    }

    /// <inheritdoc />
    public override void WriteLine(string? value)
    {
        lock (_line)
        {
            log.Write(_line.Append(value).ToString());
            _line.Clear();
        }
    }
}
