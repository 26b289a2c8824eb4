using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace NeuraScale.Domain;

/// <summary>
/// The pseudonym by which a patient is known everywhere outside the patient registry:
/// session catalog, chunk blobs, tool results, logs. <c>psn_</c> followed by 16 lowercase base-32 characters.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(PatientPseudonymJsonConverter))]
public readonly partial record struct PatientPseudonym
{
    public string Value { get; }

    private PatientPseudonym(string value) => Value = value;

    public static PatientPseudonym New() => new("psn_" + Identifiers.RandomBase32(16));

    public static bool TryParse([NotNullWhen(true)] string? text, out PatientPseudonym pseudonym)
    {
        pseudonym = default;
        if (text is null || !Pattern().IsMatch(text))
        {
            return false;
        }

        pseudonym = new PatientPseudonym(text);
        return true;
    }

    public static PatientPseudonym Parse(string text) =>
        TryParse(text, out var p) ? p : throw new FormatException($"'{text}' is not a patient pseudonym; expected 'psn_' followed by 16 characters a-z or 2-7.");

    public override string ToString() => Value;

    [GeneratedRegex("^psn_[a-z2-7]{16}$")]
    private static partial Regex Pattern();
}

/// <summary>
/// Identifying patient data (PHI). Kept only in the patient registry, apart from the pseudonym used
/// everywhere else; never logged, never part of a session record.
/// </summary>
/// <param name="GivenName">Given name.</param>
/// <param name="FamilyName">Family name.</param>
/// <param name="DateOfBirth">Date of birth.</param>
/// <param name="MedicalRecordNumber">Hospital medical record number (MRN).</param>
public sealed record PatientIdentity(string GivenName, string FamilyName, DateOnly DateOfBirth, string MedicalRecordNumber)
{
    /// <summary>Redacted on purpose: a stray log statement or exception message must not carry PHI.</summary>
    public override string ToString() => "PatientIdentity { redacted }";
}

/// <summary>A registered patient: the pseudonym and the identity it stands for.</summary>
public sealed record Patient(PatientPseudonym Pseudonym, PatientIdentity Identity, DateTimeOffset RegisteredAt)
{
    public override string ToString() => $"Patient {{ Pseudonym = {Pseudonym} }}";
}
