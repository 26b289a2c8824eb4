using Microsoft.Extensions.DependencyInjection;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Processing.Patients;
using NeuraScale.Storage;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

/// <summary>
/// Patients on Azurite: registered once per MRN, found by MRN or name only with phi.read (pseudonyms only without
/// it), corrected without losing the pseudonym, every access audited without the identifying values, scope kept.
/// </summary>
public sealed class PatientDirectoryTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Caller With(string id, IReadOnlySet<PatientPseudonym>? scope, params string[] permissions) => new(id, id, new HashSet<string>(), permissions.ToHashSet(), scope);

    private static readonly Caller Registrar = With("key:registrar", null, Permissions.ClinicalWrite, Permissions.ClinicalRead);
    private static readonly Caller Clinician = With("key:clinician", null, Permissions.ClinicalWrite, Permissions.ClinicalRead, Permissions.PhiRead);

    [Fact]
    public async Task RegisterFindAndCorrect_WithPhiRulesAndAudit()
    {
        var storage = azurite.IsolatedOptions();
        await using var server = ControlPlaneHosts.Server(storage, TimeProvider.System);
        await StorageServiceCollectionExtensions.CreateClients(storage).EnsureCreatedAsync(Ct);
        var patients = server.GetRequiredService<PatientDirectory>();
        var time = TimeProvider.System;

        // Registering without phi.read: the pseudonym comes back, the identity does not.
        var mueller = await patients.RegisterAsync(Registrar, "Jürgen", "Müller", "1961-03-04", "MRN-7731", time, Ct);
        Assert.Null(mueller.Identity);
        var muller = await patients.RegisterAsync(Clinician, "Anna", "Muller-Lyer", "1990-12-01", "MRN-7732", time, Ct);
        Assert.Equal("Muller-Lyer", muller.Identity!.FamilyName);
        await patients.RegisterAsync(Clinician, "Ben", "Smith", "1985-07-08", "MRN-9000", time, Ct);

        // One MRN, one patient: the registrar is not told who holds it; a clinician is.
        var blind = await Assert.ThrowsAsync<InvalidRequestException>(() => patients.RegisterAsync(Registrar, "J", "Mueller", "1961-03-04", "mrn-7731", time, Ct));
        Assert.DoesNotContain("psn_", blind.Message, StringComparison.Ordinal);
        var told = await Assert.ThrowsAsync<InvalidRequestException>(() => patients.RegisterAsync(Clinician, "J", "Mueller", "1961-03-04", "MRN-7731", time, Ct));
        Assert.Contains(mueller.Pseudonym.Value, told.Message, StringComparison.Ordinal);

        // Identifying search needs phi.read; listing without it shows pseudonyms only.
        Assert.Contains("phi.read", (await Assert.ThrowsAsync<InvalidRequestException>(() => patients.FindAsync(Registrar, "MRN-7731", null, null, null, null, time, Ct))).Message, StringComparison.Ordinal);
        var listed = await patients.FindAsync(Registrar, null, null, null, null, null, time, Ct);
        Assert.Equal(3, listed.Count);
        Assert.All(listed, p => Assert.Null(p.Identity));

        // By MRN (case-insensitive), by family-name beginning (accents and case ignored), narrowed by given name and birth date.
        Assert.Equal(mueller.Pseudonym, Assert.Single(await patients.FindAsync(Clinician, "mrn-7731", null, null, null, null, time, Ct)).Pseudonym);
        var byName = await patients.FindAsync(Clinician, null, "mul", null, null, null, time, Ct);
        Assert.Equal(new[] { mueller.Pseudonym.Value, muller.Pseudonym.Value }.Order(), byName.Select(p => p.Pseudonym.Value).Order());
        Assert.Equal(muller.Pseudonym, Assert.Single(await patients.FindAsync(Clinician, null, "MUL", "an", null, null, time, Ct)).Pseudonym);
        Assert.Equal(mueller.Pseudonym, Assert.Single(await patients.FindAsync(Clinician, null, "mül", null, "1961-03-04", null, time, Ct)).Pseudonym);

        // A correction keeps the pseudonym and moves the indexes with it.
        Assert.Contains("phi.read", (await Assert.ThrowsAsync<InvalidRequestException>(() => patients.UpdateAsync(Registrar, mueller.Pseudonym.Value, null, "Mueller", null, null, time, Ct))).Message, StringComparison.Ordinal);
        var corrected = await patients.UpdateAsync(Clinician, mueller.Pseudonym.Value, null, "Mueller", null, "MRN-7741", time, Ct);
        Assert.Equal((mueller.Pseudonym, "Mueller", "MRN-7741"), (corrected.Pseudonym, corrected.Identity!.FamilyName, corrected.Identity.MedicalRecordNumber));
        Assert.Empty(await patients.FindAsync(Clinician, "MRN-7731", null, null, null, null, time, Ct));
        Assert.Equal(mueller.Pseudonym, Assert.Single(await patients.FindAsync(Clinician, "MRN-7741", null, null, null, null, time, Ct)).Pseudonym);
        Assert.Equal(muller.Pseudonym, Assert.Single(await patients.FindAsync(Clinician, null, "mul", null, null, null, time, Ct)).Pseudonym);
        await patients.RegisterAsync(Clinician, "New", "Holder", "2000-01-01", "MRN-7731", time, Ct); // the old MRN is free again

        // A scoped caller finds only their patients.
        var scoped = With("key:scoped", new HashSet<PatientPseudonym> { muller.Pseudonym }, Permissions.ClinicalRead, Permissions.PhiRead);
        Assert.Equal(muller.Pseudonym, Assert.Single(await patients.FindAsync(scoped, null, "m", null, null, null, time, Ct)).Pseudonym);

        // Bad input: said what is allowed.
        Assert.Contains("yyyy-mm-dd", (await Assert.ThrowsAsync<InvalidRequestException>(() => patients.RegisterAsync(Clinician, "A", "B", "04/03/1961", "MRN-1", time, Ct))).Message, StringComparison.Ordinal);
        Assert.Contains("in the past", (await Assert.ThrowsAsync<InvalidRequestException>(() => patients.RegisterAsync(Clinician, "A", "B", "2999-01-01", "MRN-1", time, Ct))).Message, StringComparison.Ordinal);
        Assert.Contains("medical_record_number", (await Assert.ThrowsAsync<InvalidRequestException>(() => patients.RegisterAsync(Clinician, "A", "B", "1961-01-01", "MRN/1#", time, Ct))).Message, StringComparison.Ordinal);

        // Audited: who, what, which pseudonyms — never a name, birth date or MRN.
        var audit = string.Join('\n', await AuditLines.ReadAsync(storage, Ct));
        Assert.Contains("\"phi/read:search\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"phi/write:update\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"duplicate\"", audit, StringComparison.Ordinal);
        foreach (var identifying in new[] { "Müller", "Mueller", "Muller", "MRN-77", "1961-03-04", "Smith" })
        {
            Assert.DoesNotContain(identifying, audit, StringComparison.Ordinal);
        }
    }
}
