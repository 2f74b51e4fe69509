namespace MultiArch.Testing;

/// <summary>
/// The one temp folder of the tests: a fresh folder under the system temp directory, deleted with all it holds on dispose.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Creates <c>{prefix}{random}</c> under the temp directory (the prefix says which test left it, should one stay).</summary>
    public TempDirectory(string prefix = "multiarch-test-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>The full path of <paramref name="relative"/> inside the folder (nothing is created).</summary>
    public string File(string relative) => System.IO.Path.Combine(Path, relative);

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="relative"/> (creating its folders) and returns its full path.
    /// </summary>
    public string File(string relative, string content)
    {
        var path = File(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    /// <summary>The folder's path, so it can be passed where a path is expected.</summary>
    public override string ToString() => Path;

    /// <summary>Deletes the folder; a file still held open (a process that outlived its test) leaves it behind.</summary>
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (DirectoryNotFoundException) { }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
