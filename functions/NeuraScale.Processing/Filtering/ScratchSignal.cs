using System.Runtime.InteropServices;

namespace NeuraScale.Processing.Filtering;

/// <summary>
/// A temporary file holding intermediate float64 samples block by block (channel-major within a block), so a
/// forward-backward filter can run over a recording of any length in bounded memory. Deleted on dispose.
/// </summary>
internal sealed class ScratchSignal : IDisposable
{
    private readonly FileStream _file;
    private readonly int _channels;
    private readonly int _blockSamples;

    public ScratchSignal(int channels, int blockSamples)
    {
        _channels = channels;
        _blockSamples = blockSamples;
        var path = Path.Combine(Path.GetTempPath(), "neurascale-filter-" + Guid.NewGuid().ToString("N") + ".f64");
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
    }

    public async Task WriteAsync(int block, double[][] data, int count, CancellationToken cancellationToken)
    {
        var bytes = new byte[_channels * count * sizeof(double)];
        for (var c = 0; c < _channels; c++)
        {
            MemoryMarshal.AsBytes(data[c].AsSpan(0, count)).CopyTo(bytes.AsSpan(c * count * sizeof(double)));
        }

        await RandomAccess.WriteAsync(_file.SafeFileHandle, bytes, Offset(block), cancellationToken).ConfigureAwait(false);
    }

    public async Task ReadAsync(int block, double[][] destination, int count, CancellationToken cancellationToken)
    {
        var bytes = new byte[_channels * count * sizeof(double)];
        var read = 0;
        while (read < bytes.Length)
        {
            var n = await RandomAccess.ReadAsync(_file.SafeFileHandle, bytes.AsMemory(read), Offset(block) + read, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new EndOfStreamException($"Scratch block {block} is shorter than expected.");
            }

            read += n;
        }

        for (var c = 0; c < _channels; c++)
        {
            MemoryMarshal.Cast<byte, double>(bytes.AsSpan(c * count * sizeof(double), count * sizeof(double))).CopyTo(destination[c]);
        }
    }

    public void Dispose() => _file.Dispose();

    private long Offset(int block) => (long)block * _channels * _blockSamples * sizeof(double);
}
