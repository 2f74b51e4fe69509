namespace MultiArch.Workflows;

/// <summary>The file- and artifact-safe form of a platform: <c>linux/arm/v7</c> gives <c>arm-v7</c>, <c>windows/amd64</c> gives
/// <c>windows-amd64</c>.</summary>
public static class PlatformPair
{
    /// <summary>Drops the usual <c>linux/</c> and joins the rest with dashes.</summary>
    public static string Of(string platform)
    {
        var text = platform.StartsWith("linux/", StringComparison.OrdinalIgnoreCase) ? platform[6..] : platform;
        return text.Replace('/', '-').ToLowerInvariant();
    }
}
