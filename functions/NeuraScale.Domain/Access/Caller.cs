namespace NeuraScale.Domain.Access;

/// <summary>
/// Who is acting, what they may do, and which patients' data they may see (null: all patients). Every application
/// service that acts on someone's behalf takes one; how it was authenticated (API key, token, stdio) is not its concern.
/// </summary>
public sealed record Caller(string Id, string Name, IReadOnlySet<string> Roles, IReadOnlySet<string> Permissions, IReadOnlySet<PatientPseudonym>? PatientScope)
{
    public bool Has(string permission) => Permissions.Contains(permission);

    /// <summary>True when the caller may see data of <paramref name="patient"/>.</summary>
    public bool CanSee(PatientPseudonym patient) => PatientScope is null || PatientScope.Contains(patient);
}
