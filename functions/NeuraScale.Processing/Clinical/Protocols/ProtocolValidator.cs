using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace NeuraScale.Processing.Clinical.Protocols;

/// <summary>
/// Checks a protocol definition completely and says everything that is wrong, each problem naming the field and what
/// is allowed — a definition with any problem is never stored or run.
/// </summary>
public static partial class ProtocolValidator
{
    public const string SignalQualityCheck = "signal_quality";
    public const double MaxTotalSeconds = 4 * 3600;
    public const int MaxSteps = 40, MaxMarkerLength = 100, MaxInstructionsLength = 1000;
    private static readonly string[] Modalities = ["EEG", "EMG", "ECG"];

    public static IReadOnlyList<string> Problems(ProtocolDefinition? protocol)
    {
        var problems = new List<string>();
        if (protocol is null)
        {
            return ["The protocol is empty."];
        }

        if (protocol.Id is null || !IdPattern().IsMatch(protocol.Id))
        {
            problems.Add($"id '{protocol.Id}' must be 3–40 characters a–z, 0–9 and '-', starting with a letter (e.g. routine-eeg).");
        }

        if (protocol.Version is < 1 or > 1000)
        {
            problems.Add($"version must be 1–1000; got {protocol.Version}.");
        }

        Text(problems, "name", protocol.Name, 120);
        Text(problems, "purpose", protocol.Purpose, MaxInstructionsLength);
        if (protocol.Reference is { Length: > 300 })
        {
            problems.Add("reference is longer than 300 characters.");
        }

        if (!ConsentPurposes.All.Contains(protocol.ConsentPurpose))
        {
            problems.Add($"consent_purpose '{protocol.ConsentPurpose}' must be one of {string.Join(", ", ConsentPurposes.All)}.");
        }

        if (!Modalities.Contains(protocol.Modality))
        {
            problems.Add($"modality '{protocol.Modality}' must be one of {string.Join(", ", Modalities)}.");
        }

        if (protocol.Impedance is { } impedance && !(impedance.MaxKiloohms is > 0 and <= 100))
        {
            problems.Add($"impedance.max_kiloohms must be more than 0 and at most 100 kΩ; got {N(impedance.MaxKiloohms)}.");
        }

        if (protocol.Steps is not { Count: > 0 and <= MaxSteps })
        {
            problems.Add($"steps must hold 1–{MaxSteps} steps.");
            return problems;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (step, i) in protocol.Steps.Select((s, i) => (s, i)))
        {
            var at = $"steps[{i}]";
            if (step is null)
            {
                problems.Add($"{at} is empty.");
                continue;
            }

            if (step.Id is null || !IdPattern().IsMatch(step.Id))
            {
                problems.Add($"{at}.id '{step.Id}' must be 3–40 characters a–z, 0–9 and '-', starting with a letter.");
            }
            else if (!ids.Add(step.Id))
            {
                problems.Add($"{at}.id '{step.Id}' is used by an earlier step; step ids are unique.");
            }

            Text(problems, $"{at}.name", step.Name, 120);
            Text(problems, $"{at}.instructions", step.Instructions, MaxInstructionsLength);
            if (!(step.DurationSeconds is >= 5 and <= 3600))
            {
                problems.Add($"{at}.duration_seconds must be 5–3600; got {N(step.DurationSeconds)}.");
            }

            Marker(problems, $"{at}.start_marker", step.StartMarker, required: true);
            Marker(problems, $"{at}.end_marker", step.EndMarker, required: false);
            if (step.Condition is { } condition && !StepConditions.All.Contains(condition))
            {
                problems.Add($"{at}.condition '{condition}' is not one of {string.Join(", ", StepConditions.All)} (or leave it out).");
            }

            if (step.Photic is { } photic)
            {
                if (photic.FrequenciesHz is not { Count: > 0 and <= 30 } || photic.FrequenciesHz.Any(f => !(f is >= 0.5 and <= 60)))
                {
                    problems.Add($"{at}.photic.frequencies_hz must list 1–30 flash rates of 0.5–60 Hz.");
                }

                if (!(photic.TrainSeconds is >= 1 and <= 30) || !(photic.RestSeconds is >= 0 and <= 60))
                {
                    problems.Add($"{at}.photic: train_seconds must be 1–30 and rest_seconds 0–60.");
                }
                else if (photic.FrequenciesHz is { Count: > 0 } frequencies && frequencies.Count * (photic.TrainSeconds + photic.RestSeconds) > step.DurationSeconds + 1e-9)
                {
                    problems.Add($"{at}: {frequencies.Count} trains of {N(photic.TrainSeconds)} s with {N(photic.RestSeconds)} s rest take {N(frequencies.Count * (photic.TrainSeconds + photic.RestSeconds))} s, longer than duration_seconds {N(step.DurationSeconds)}.");
                }
            }

            foreach (var (check, j) in (step.Checks ?? []).Select((c, j) => (c, j)))
            {
                var c = $"{at}.checks[{j}]";
                if (check?.Kind != SignalQualityCheck)
                {
                    problems.Add($"{c}.kind '{check?.Kind}' must be '{SignalQualityCheck}' (electrodes are checked by impedance before recording; the operator can stop any step).");
                    continue;
                }

                if (!(check.WindowSeconds is >= 2 and <= 60))
                {
                    problems.Add($"{c}.window_seconds must be 2–60 (monitor_signal_quality's range); got {N(check.WindowSeconds)}.");
                }

                if (!(check.AfterSeconds >= 0) || check.AfterSeconds + check.WindowSeconds > step.DurationSeconds)
                {
                    problems.Add($"{c}: after_seconds {N(check.AfterSeconds)} + window_seconds {N(check.WindowSeconds)} must fit within the step's {N(step.DurationSeconds)} s.");
                }

                if (!(check.MinScore is >= 0 and <= 100))
                {
                    problems.Add($"{c}.min_score must be 0–100 (the signal-quality score); got {N(check.MinScore)}.");
                }
            }
        }

        if (protocol.TotalSeconds > MaxTotalSeconds)
        {
            problems.Add($"The steps add up to {N(protocol.TotalSeconds)} s; a protocol records at most {N(MaxTotalSeconds)} s (4 h).");
        }

        return problems;
    }

    private static void Text(List<string> problems, string field, string? value, int max)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > max)
        {
            problems.Add($"{field} must be 1–{max} characters.");
        }
    }

    private static void Marker(List<string> problems, string field, string? value, bool required)
    {
        if (value is null && !required)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxMarkerLength || Encoding.UTF8.GetByteCount(value) > 255 || value.Any(char.IsControl))
        {
            problems.Add($"{field} must be 1–{MaxMarkerLength} printable characters (it is written into the recording; no patient-identifying text).");
        }
    }

    private static string N(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[a-z][a-z0-9-]{2,39}$")]
    private static partial Regex IdPattern();
}
