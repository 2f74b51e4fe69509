namespace MultiArch.Build;

/// <summary>An absolute, normalized file-system path; <c>root / "docker" / "Dockerfile"</c> combines.</summary>
public sealed record AbsolutePath
{
    /// <summary>The full path.</summary>
    public string Value { get; }
    /// <summary>Creates a path; a relative input is resolved against the current directory.</summary>
    public AbsolutePath(string path) => Value = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
    /// <summary>Combines a path with a relative part.</summary>
    public static AbsolutePath operator /(AbsolutePath left, string right) => new(Path.Combine(left.Value, right));
    /// <summary>Parses a parameter value (relative values resolve against the current directory).</summary>
    public static AbsolutePath Parse(string value) => new(value);
    /// <summary>The last segment.</summary>
    public string Name => Path.GetFileName(Value);
    /// <summary>The containing folder.</summary>
    public AbsolutePath Parent => new(Path.GetDirectoryName(Value) ?? Value);
    /// <summary>Whether a file exists here.</summary>
    public bool FileExists() => File.Exists(Value);
    /// <summary>Whether a folder exists here.</summary>
    public bool DirectoryExists() => Directory.Exists(Value);
    /// <summary>This path relative to <paramref name="root"/>, with forward slashes.</summary>
    public string RelativeTo(AbsolutePath root) => Path.GetRelativePath(root.Value, Value).Replace('\\', '/');

    public override string ToString() => Value;
    /// <summary>Lets a path be passed wherever a string is expected.</summary>
    public static implicit operator string(AbsolutePath path) => path.Value;
}
