using System.Globalization;
using System.Text;
using Azure;
using Azure.Data.Tables;
using NeuraScale.Domain;

namespace NeuraScale.Storage.Patients;

/// <summary>A medical record number already belongs to a registered patient.</summary>
public sealed class DuplicateMedicalRecordNumberException(PatientPseudonym existing) : Exception("The medical record number is already registered.")
{
    public PatientPseudonym Existing { get; } = existing;
}

/// <summary>
/// The only place identifying patient data is stored: a table of its own, keyed by pseudonym, so that access to it
/// can be granted, audited and (in Azure) encrypted apart from the signal data. Two index partitions make search a
/// range query rather than a scan: <c>mrn</c> (one row per medical record number, which is also what keeps MRNs
/// unique) and <c>name</c> (family name, normalised, then the pseudonym). Index rows are written before and removed
/// after the patient row changes, and every hit is checked against the patient row, so an index row left behind by an
/// interrupted update never returns a wrong patient.
/// </summary>
public sealed class PatientRegistry(StorageClients clients, TimeProvider time)
{
    private const string Partition = "p", MrnIndex = "mrn", NameIndex = "name", Erased = "erased";
    private readonly TableClient _table = clients.PatientsTable;

    /// <summary>Registers a patient under a new pseudonym.</summary>
    /// <exception cref="DuplicateMedicalRecordNumberException">The MRN is already registered.</exception>
    public async Task<Patient> RegisterAsync(PatientIdentity identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var patient = new Patient(PatientPseudonym.New(), identity, time.GetUtcNow());
        await ClaimMrnAsync(identity.MedicalRecordNumber, patient.Pseudonym, cancellationToken).ConfigureAwait(false);
        await _table.UpsertEntityAsync(NameRow(identity, patient.Pseudonym), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        await _table.AddEntityAsync(Row(patient), cancellationToken).ConfigureAwait(false);
        return patient;
    }

    public async Task<Patient?> GetAsync(PatientPseudonym pseudonym, CancellationToken cancellationToken = default)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, pseudonym.Value, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? Read(pseudonym, response.Value!) : null;
    }

    /// <summary>Replaces a patient's identity (a corrected name, date of birth or MRN); the pseudonym stays.</summary>
    /// <exception cref="DuplicateMedicalRecordNumberException">The new MRN belongs to another patient.</exception>
    public async Task<Patient?> UpdateAsync(PatientPseudonym pseudonym, PatientIdentity identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (await GetAsync(pseudonym, cancellationToken).ConfigureAwait(false) is not { } before)
        {
            return null;
        }

        var mrnChanged = Key(before.Identity.MedicalRecordNumber) != Key(identity.MedicalRecordNumber);
        if (mrnChanged)
        {
            await ClaimMrnAsync(identity.MedicalRecordNumber, pseudonym, cancellationToken).ConfigureAwait(false);
        }

        await _table.UpsertEntityAsync(NameRow(identity, pseudonym), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        var after = before with { Identity = identity };
        await _table.UpsertEntityAsync(Row(after), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        if (mrnChanged)
        {
            await _table.DeleteEntityAsync(MrnIndex, Key(before.Identity.MedicalRecordNumber), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        if (NameRow(before.Identity, pseudonym).RowKey != NameRow(identity, pseudonym).RowKey)
        {
            await _table.DeleteEntityAsync(NameIndex, NameRow(before.Identity, pseudonym).RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return after;
    }

    /// <summary>
    /// Erases a patient's identity: a tombstone (when, by whom, why — no identifying data) is written first, then the
    /// identity row and its index rows are deleted, so an interrupted erasure is finished by repeating it. Returns the
    /// tombstone, or null when the pseudonym was never registered.
    /// </summary>
    public async Task<PatientErasure?> EraseAsync(PatientPseudonym pseudonym, string erasedBy, string reason, CancellationToken cancellationToken = default)
    {
        var patient = await GetAsync(pseudonym, cancellationToken).ConfigureAwait(false);
        if (patient is null)
        {
            return await GetErasureAsync(pseudonym, cancellationToken).ConfigureAwait(false);
        }

        var erasure = new PatientErasure(pseudonym, patient.RegisteredAt, time.GetUtcNow(), erasedBy, reason);
        await _table.UpsertEntityAsync(
            new TableEntity(Erased, pseudonym.Value) { ["RegisteredAt"] = erasure.RegisteredAt, ["ErasedAt"] = erasure.ErasedAt, ["ErasedBy"] = erasedBy, ["Reason"] = reason },
            TableUpdateMode.Replace,
            cancellationToken).ConfigureAwait(false);
        await _table.DeleteEntityAsync(Partition, pseudonym.Value, cancellationToken: cancellationToken).ConfigureAwait(false);
        await _table.DeleteEntityAsync(MrnIndex, Key(patient.Identity.MedicalRecordNumber), cancellationToken: cancellationToken).ConfigureAwait(false);
        await _table.DeleteEntityAsync(NameIndex, NameRow(patient.Identity, pseudonym).RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return erasure;
    }

    /// <summary>The erasure of a pseudonym's identity, if it was erased.</summary>
    public async Task<PatientErasure?> GetErasureAsync(PatientPseudonym pseudonym, CancellationToken cancellationToken = default)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(Erased, pseudonym.Value, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue
            ? new PatientErasure(pseudonym, row.Value!.GetDateTimeOffset("RegisteredAt") ?? default, row.Value.GetDateTimeOffset("ErasedAt") ?? default, row.Value.GetString("ErasedBy") ?? "", row.Value.GetString("Reason") ?? "")
            : null;
    }

    /// <summary>The patient with this medical record number, if any.</summary>
    public async Task<Patient?> FindByMrnAsync(string mrn, CancellationToken cancellationToken = default)
    {
        var index = await _table.GetEntityIfExistsAsync<TableEntity>(MrnIndex, Key(mrn), cancellationToken: cancellationToken).ConfigureAwait(false);
        return index.HasValue && PatientPseudonym.TryParse(index.Value!.GetString("Pseudonym"), out var pseudonym)
            && await GetAsync(pseudonym, cancellationToken).ConfigureAwait(false) is { } patient && Key(patient.Identity.MedicalRecordNumber) == Key(mrn)
            ? patient
            : null;
    }

    /// <summary>Patients whose family name starts with <paramref name="familyNamePrefix"/> (case and accents ignored), at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<Patient>> FindByFamilyNameAsync(string familyNamePrefix, int limit, CancellationToken cancellationToken = default)
    {
        var prefix = NameKey(familyNamePrefix);
        var upper = prefix[..^1] + (char)(prefix[^1] + 1);
        var found = new List<Patient>();
        await foreach (var row in _table.QueryAsync<TableEntity>(e => e.PartitionKey == NameIndex && e.RowKey.CompareTo(prefix) >= 0 && e.RowKey.CompareTo(upper) < 0, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (PatientPseudonym.TryParse(row.GetString("Pseudonym"), out var pseudonym)
                && await GetAsync(pseudonym, cancellationToken).ConfigureAwait(false) is { } patient
                && NameKey(patient.Identity.FamilyName).StartsWith(prefix, StringComparison.Ordinal))
            {
                found.Add(patient);
                if (found.Count >= limit)
                {
                    break;
                }
            }
        }

        return found;
    }

    /// <summary>The most recently registered patients (pseudonyms and identities; callers decide what to show).</summary>
    public async Task<IReadOnlyList<Patient>> ListAsync(int limit, CancellationToken cancellationToken = default)
    {
        var all = new List<Patient>();
        await foreach (var row in _table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            all.Add(Read(PatientPseudonym.Parse(row.RowKey), row));
        }

        return [.. all.OrderByDescending(p => p.RegisteredAt).Take(limit)];
    }

    /// <summary>
    /// The normalised key of a name: upper case, Latin accents folded (Ü → U, ß → SS, Ø → O), runs of spaces made one.
    /// A table rather than Unicode decomposition: the apps run with invariant globalization, where normalisation is not
    /// available.
    /// </summary>
    public static string NameKey(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var kept = new StringBuilder(name.Length);
        foreach (var c in name.Trim())
        {
            var upper = char.ToUpperInvariant(c);
            if (char.IsWhiteSpace(c))
            {
                kept.Append(' ');
            }
            else if (c == 'ß')
            {
                kept.Append("SS");
            }
            else if (Folded.TryGetValue(upper, out var plain))
            {
                kept.Append(plain);
            }
            else
            {
                kept.Append(upper);
            }
        }

        return string.Join(' ', kept.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Upper-case Latin-1 and Latin Extended-A letters and their unaccented spelling.</summary>
    private static readonly Dictionary<char, string> Folded = new()
    {
        ['À'] = "A", ['Á'] = "A", ['Â'] = "A", ['Ã'] = "A", ['Ä'] = "A", ['Å'] = "A", ['Æ'] = "AE", ['Ç'] = "C", ['È'] = "E", ['É'] = "E",
        ['Ê'] = "E", ['Ë'] = "E", ['Ì'] = "I", ['Í'] = "I", ['Î'] = "I", ['Ï'] = "I", ['Ð'] = "D", ['Ñ'] = "N", ['Ò'] = "O", ['Ó'] = "O",
        ['Ô'] = "O", ['Õ'] = "O", ['Ö'] = "O", ['Ø'] = "O", ['Ù'] = "U", ['Ú'] = "U", ['Û'] = "U", ['Ü'] = "U", ['Ý'] = "Y", ['Þ'] = "TH",
        ['Ÿ'] = "Y", ['Ā'] = "A", ['Ă'] = "A", ['Ą'] = "A", ['Ć'] = "C", ['Ĉ'] = "C", ['Ċ'] = "C", ['Č'] = "C", ['Ď'] = "D", ['Đ'] = "D",
        ['Ē'] = "E", ['Ĕ'] = "E", ['Ė'] = "E", ['Ę'] = "E", ['Ě'] = "E", ['Ĝ'] = "G", ['Ğ'] = "G", ['Ġ'] = "G", ['Ģ'] = "G", ['Ĥ'] = "H",
        ['Ħ'] = "H", ['Ĩ'] = "I", ['Ī'] = "I", ['Ĭ'] = "I", ['Į'] = "I", ['İ'] = "I", ['Ĵ'] = "J", ['Ķ'] = "K", ['ĸ'] = "K", ['Ĺ'] = "L",
        ['Ļ'] = "L", ['Ľ'] = "L", ['Ŀ'] = "L", ['Ł'] = "L", ['Ń'] = "N", ['Ņ'] = "N", ['Ň'] = "N", ['Ŋ'] = "N", ['Ō'] = "O", ['Ŏ'] = "O",
        ['Ő'] = "O", ['Œ'] = "OE", ['Ŕ'] = "R", ['Ŗ'] = "R", ['Ř'] = "R", ['Ś'] = "S", ['Ŝ'] = "S", ['Ş'] = "S", ['Š'] = "S", ['Ţ'] = "T",
        ['Ť'] = "T", ['Ŧ'] = "T", ['Ũ'] = "U", ['Ū'] = "U", ['Ŭ'] = "U", ['Ů'] = "U", ['Ű'] = "U", ['Ų'] = "U", ['Ŵ'] = "W", ['Ŷ'] = "Y",
        ['Ź'] = "Z", ['Ż'] = "Z", ['Ž'] = "Z",
    };

    private async Task ClaimMrnAsync(string mrn, PatientPseudonym pseudonym, CancellationToken cancellationToken)
    {
        try
        {
            await _table.AddEntityAsync(new TableEntity(MrnIndex, Key(mrn)) { ["Pseudonym"] = pseudonym.Value }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var holder = await _table.GetEntityAsync<TableEntity>(MrnIndex, Key(mrn), cancellationToken: cancellationToken).ConfigureAwait(false);
            var existing = PatientPseudonym.Parse(holder.Value.GetString("Pseudonym"));
            // An index row whose patient no longer carries this MRN (an interrupted update) is taken over.
            if (await GetAsync(existing, cancellationToken).ConfigureAwait(false) is { } other && Key(other.Identity.MedicalRecordNumber) == Key(mrn) && existing != pseudonym)
            {
                throw new DuplicateMedicalRecordNumberException(existing);
            }

            await _table.UpdateEntityAsync(new TableEntity(MrnIndex, Key(mrn)) { ["Pseudonym"] = pseudonym.Value }, holder.Value.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Key(string mrn) => mrn.Trim().ToUpperInvariant();

    private static TableEntity NameRow(PatientIdentity identity, PatientPseudonym pseudonym) => new(NameIndex, $"{NameKey(identity.FamilyName)}|{pseudonym.Value}") { ["Pseudonym"] = pseudonym.Value };

    private static TableEntity Row(Patient patient) => new(Partition, patient.Pseudonym.Value)
    {
        ["GivenName"] = patient.Identity.GivenName,
        ["FamilyName"] = patient.Identity.FamilyName,
        ["DateOfBirth"] = patient.Identity.DateOfBirth.ToString("O", CultureInfo.InvariantCulture),
        ["Mrn"] = patient.Identity.MedicalRecordNumber,
        ["RegisteredAt"] = patient.RegisteredAt,
    };

    private static Patient Read(PatientPseudonym pseudonym, TableEntity e) => new(
        pseudonym,
        new PatientIdentity(e.GetString("GivenName"), e.GetString("FamilyName"), DateOnly.Parse(e.GetString("DateOfBirth"), CultureInfo.InvariantCulture), e.GetString("Mrn")),
        e.GetDateTimeOffset("RegisteredAt") ?? default);
}

/// <summary>That a patient's identity was erased: when it had been registered, when and by whom it was erased, and why. No identifying data.</summary>
public sealed record PatientErasure(PatientPseudonym Pseudonym, DateTimeOffset RegisteredAt, DateTimeOffset ErasedAt, string ErasedBy, string Reason);
