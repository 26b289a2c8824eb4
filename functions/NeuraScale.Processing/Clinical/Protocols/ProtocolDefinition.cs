using System.Text.Json.Serialization;

namespace NeuraScale.Processing.Clinical.Protocols;

/// <summary>
/// A recording protocol as data (docs/clinical.md#protocols): what to check before recording, then the steps in order,
/// each with its duration in seconds of recording, the words to read to the patient, the markers it puts into the
/// recording, and the checks that end it early. Validated by <see cref="ProtocolValidator"/> wherever one enters.
/// </summary>
public sealed record ProtocolDefinition
{
    /// <summary>Lower-case id, e.g. <c>routine-eeg</c>.</summary>
    public required string Id { get; init; }

    public required int Version { get; init; }

    public required string Name { get; init; }

    /// <summary>EEG, EMG or ECG: the device's modality must match.</summary>
    public required string Modality { get; init; }

    public required string Purpose { get; init; }

    /// <summary>The consent the patient must have given before this protocol records them (<see cref="ConsentPurposes"/>).</summary>
    public required string ConsentPurpose { get; init; }

    /// <summary>Where the procedure comes from (guideline, study), for the report's methods.</summary>
    public string? Reference { get; init; }

    /// <summary>The electrode check before recording; none: no check.</summary>
    public ImpedanceCheck? Impedance { get; init; }

    public required IReadOnlyList<ProtocolStep> Steps { get; init; }

    /// <summary>Seconds of recording the steps add up to.</summary>
    [JsonIgnore]
    public double TotalSeconds => Steps.Sum(s => s.DurationSeconds);
}

/// <summary>Electrode impedances measured before recording: above <see cref="MaxKiloohms"/> on any channel stops the protocol, naming the channels.</summary>
public sealed record ImpedanceCheck
{
    public required double MaxKiloohms { get; init; }

    /// <summary>What the technologist is told to do when a channel fails.</summary>
    public string? Instructions { get; init; }
}

/// <summary>One step: a stretch of recording with instructions and markers, possibly a stimulation series.</summary>
public sealed record ProtocolStep
{
    /// <summary>Lower-case id unique within the protocol, e.g. <c>hyperventilation</c>.</summary>
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary>Seconds of recording.</summary>
    public required double DurationSeconds { get; init; }

    /// <summary>What to read to the patient when the step begins.</summary>
    public required string Instructions { get; init; }

    /// <summary>Marker inserted when the step begins (≤ 100 characters, no identifying text).</summary>
    public required string StartMarker { get; init; }

    /// <summary>Marker inserted when the step ends, if any.</summary>
    public string? EndMarker { get; init; }

    /// <summary>
    /// The patient's state during the step (<see cref="StepConditions"/>), e.g. <c>eyes_closed</c>: how reports find
    /// the stretches to compare (alpha reactivity is eyes closed against eyes open). Null: none of those.
    /// </summary>
    public string? Condition { get; init; }

    /// <summary>Photic stimulation: one marked train per frequency within the step.</summary>
    public PhoticStimulation? Photic { get; init; }

    /// <summary>Checks during the step; the first to fail ends the protocol early.</summary>
    public IReadOnlyList<StepCheck> Checks { get; init; } = [];
}

/// <summary>Intermittent photic stimulation: trains of <see cref="TrainSeconds"/> at each frequency, <see cref="RestSeconds"/> apart.</summary>
public sealed record PhoticStimulation
{
    public required IReadOnlyList<double> FrequenciesHz { get; init; }

    public required double TrainSeconds { get; init; }

    public required double RestSeconds { get; init; }
}

/// <summary>
/// A check within a step: <c>signal_quality</c> rates <see cref="WindowSeconds"/> of live signal from
/// <see cref="AfterSeconds"/> into the step (monitor_signal_quality) and fails below <see cref="MinScore"/>.
/// </summary>
public sealed record StepCheck
{
    public required string Kind { get; init; }

    public double AfterSeconds { get; init; }

    public double WindowSeconds { get; init; } = 10;

    public double MinScore { get; init; }
}

/// <summary>The states a step can put the patient in, as reports compare them.</summary>
public static class StepConditions
{
    public const string EyesClosed = "eyes_closed";
    public const string EyesOpen = "eyes_open";
    public const string Hyperventilation = "hyperventilation";
    public const string PostHyperventilation = "post_hyperventilation";
    public const string Photic = "photic";
    public const string Rest = "rest";

    public static IReadOnlyList<string> All { get; } = [EyesClosed, EyesOpen, Hyperventilation, PostHyperventilation, Photic, Rest];
}
