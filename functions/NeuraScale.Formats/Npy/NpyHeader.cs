using System.Globalization;
using System.Text;

namespace NeuraScale.Formats.Npy;

/// <summary>
/// The header of a NumPy <c>.npy</c> file (format version 1.0, as <c>numpy.lib.format</c> writes it) for a
/// little-endian float32 array of shape (channels, samples) stored in Fortran order: element (c, s) sits at
/// <c>c + s·channels</c>, so the data is sample after sample with every channel of a sample together — the order in
/// which a recording can be streamed — while <c>numpy.load</c> hands back the (channels, samples) array MNE expects.
/// </summary>
public static class NpyHeader
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0];

    /// <summary>Bytes of the header for any shape: the header is padded so that the data starts on a 64-byte boundary.</summary>
    public static byte[] Float32ChannelsBySamples(int channels, long samples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        var dictionary = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '<f4', 'fortran_order': True, 'shape': ({channels}, {samples}), }}");

        // magic (6) + version (2) + header length (2) + dictionary + spaces + '\n', a multiple of 64 in all.
        var unpadded = Magic.Length + 2 + dictionary.Length + 1;
        var total = (unpadded + 63) / 64 * 64;
        var text = dictionary + new string(' ', total - unpadded) + "\n";
        var header = new byte[total];
        Magic.CopyTo(header, 0);
        var length = (ushort)(total - Magic.Length - 2);
        header[8] = (byte)(length & 0xFF);
        header[9] = (byte)(length >> 8);
        Encoding.ASCII.GetBytes(text, header.AsSpan(10));
        return header;
    }
}
