namespace NeuraScale.Domain;

/// <summary>One recorded channel: its label (10-20 name for EEG), type and physical unit.</summary>
/// <param name="Name">Label as the amplifier reports it, e.g. <c>O1</c>, <c>Fp2</c>, <c>ECG II</c>.</param>
/// <param name="Type">Channel type.</param>
/// <param name="Unit">Physical unit of the stored values, e.g. <c>uV</c>.</param>
public sealed record ChannelInfo(string Name, ChannelType Type, string Unit);
