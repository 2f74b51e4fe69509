namespace MultiArch.Bench.Merge;

/// <summary>One tool's figures for one (platform count, layer size) case, median over the runs.</summary>
internal sealed record Measurement(string Tool, int Platforms, long LayerMiB, long Requests, long BytesSent, long BytesReceived,
    double MedianMs, double MinMs, string Note = "");
