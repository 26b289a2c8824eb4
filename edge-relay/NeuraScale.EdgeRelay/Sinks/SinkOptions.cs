namespace NeuraScale.EdgeRelay.Sinks;

/// <summary>Where the relay sends what it records. Section <c>Sink</c>.</summary>
public sealed class SinkOptions
{
    public const string SectionName = "Sink";

    /// <summary>Blob (straight to storage: local stacks, and the fallback) or EventHubs (section <c>EventHubs</c>; the Azure data path).</summary>
    public SinkKind Kind { get; set; } = SinkKind.Blob;
}

public enum SinkKind
{
    Blob,
    EventHubs,
}
