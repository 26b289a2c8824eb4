namespace NeuraScale.Formats.Edf;

/// <summary>Normalises electrode labels as real files write them to 10-20/10-10 spelling.</summary>
public static class ElectrodeNames
{
    /// <summary>
    /// "Fc5." → "FC5", "Fcz." → "FCz", "O1.." → "O1", "Fp1" → "Fp1", "Afz." → "AFz", "EEG Cz-REF" → "Cz".
    /// Labels that are not electrode positions (e.g. "ECG II") are only trimmed.
    /// </summary>
    public static string Normalize(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        var text = label.Trim().TrimEnd('.').Trim();
        if (text.StartsWith("EEG ", StringComparison.OrdinalIgnoreCase))
        {
            text = text[4..];
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0 && text[(dash + 1)..].Equals("REF", StringComparison.OrdinalIgnoreCase))
        {
            text = text[..dash];
        }

        var letters = new string(text.TakeWhile(char.IsLetter).ToArray());
        var rest = text[letters.Length..];
        if (letters.Length is 0 or > 3 || (rest.Length > 0 && !rest.All(char.IsDigit)) || (rest.Length == 0 && !letters.EndsWith('z') && !letters.EndsWith('Z')))
        {
            return text;
        }

        var midline = rest.Length == 0;
        var stem = midline ? letters[..^1] : letters;
        var normalized = stem.Equals("FP", StringComparison.OrdinalIgnoreCase) ? "Fp" : stem.ToUpperInvariant();
        return normalized + (midline ? "z" : rest);
    }
}
