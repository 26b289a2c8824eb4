namespace NeuraScale.Testing;

/// <summary>
/// The damage an earlier copy of the real EEG suffered in transit: every LF byte after the header became CR LF, and the
/// file was cut back to its original length (samples shifted by whole bytes, the last record partly lost).
/// </summary>
public static class DamagedEdf
{
    public static byte[] LineEndingsConverted(byte[] edf)
    {
        var headerBytes = 256 * (1 + int.Parse(System.Text.Encoding.ASCII.GetString(edf, 252, 4).Trim(), System.Globalization.CultureInfo.InvariantCulture));
        return edf[..headerBytes]
            .Concat(edf[headerBytes..].SelectMany(b => b == 0x0A ? new byte[] { 0x0D, 0x0A } : [b]))
            .Take(edf.Length)
            .ToArray();
    }
}
