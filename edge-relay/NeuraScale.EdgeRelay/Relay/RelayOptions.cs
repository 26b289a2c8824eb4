using System.ComponentModel.DataAnnotations;

namespace NeuraScale.EdgeRelay.Relay;

/// <summary>How the relay records. Bound from the <c>Relay</c> section; CLI flags override it.</summary>
public sealed class RelayOptions
{
    public const string SectionName = "Relay";

    /// <summary>Which amplifier driver to read: the simulator (section <c>Simulator</c>) or an EDF replay (section <c>EdfReplay</c>).</summary>
    public AmplifierDriverKind Driver { get; set; } = AmplifierDriverKind.Simulator;

    /// <summary>Directory of the disk spool; chunks wait here until the sink confirms them.</summary>
    [Required]
    public string SpoolDirectory { get; set; } = "spool";

    /// <summary>Seconds to record; 0 records until stopped.</summary>
    [Range(0, 7 * 24 * 3600)]
    public double DurationSeconds { get; set; }

    /// <summary>Pseudonym of the patient being recorded (<c>psn_…</c>); identifying data never reaches the relay.</summary>
    [Required(ErrorMessage = "Relay:Patient (--patient) is required: the patient pseudonym the recording belongs to, 'psn_' followed by 16 characters a-z or 2-7.")]
    [RegularExpression("^psn_[a-z2-7]{16}$", ErrorMessage = "Relay:Patient must be a patient pseudonym: 'psn_' followed by 16 characters a-z or 2-7.")]
    public string Patient { get; set; } = string.Empty;

    /// <summary>Free-text description stored with the session (task, protocol). No PHI.</summary>
    [MaxLength(500)]
    public string? Description { get; set; }

    /// <summary>First wait after a failed send, seconds; doubles on each failure up to <see cref="MaxRetryDelaySeconds"/>.</summary>
    [Range(0.01, 60)]
    public double RetryDelaySeconds { get; set; } = 0.5;

    [Range(0.1, 600)]
    public double MaxRetryDelaySeconds { get; set; } = 30;
}

/// <summary>The amplifier drivers the relay can read.</summary>
public enum AmplifierDriverKind
{
    /// <summary>The deterministic simulated amplifier.</summary>
    Simulator,
    /// <summary>Replay of an EDF/EDF+ file.</summary>
    EdfReplay,
}
