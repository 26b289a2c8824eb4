using NeuraScale.Domain;
using NeuraScale.Formats;

namespace NeuraScale.Tests.Unit;

public class ChunkCodecTests
{
    private static SignalChunk SampleChunk()
    {
        var samples = Enumerable.Range(0, 3 * 250).Select(i => (float)Math.Sin(i * 0.1) * 50f).ToArray();
        return new SignalChunk(SessionId.New(), 7, 7 * 250, 250, 3, samples, [new EventMarker(1800, 0, "stimulus/target"), new EventMarker(1900, 25, "Ünïcode label")]);
    }

    [Fact]
    public void Decode_OfEncoded_ReturnsIdenticalChunk()
    {
        var chunk = SampleChunk();

        var decoded = ChunkCodec.Decode(ChunkCodec.Encode(chunk));

        Assert.Equal(chunk.SessionId, decoded.SessionId);
        Assert.Equal(chunk.Sequence, decoded.Sequence);
        Assert.Equal(chunk.FirstSample, decoded.FirstSample);
        Assert.Equal(chunk.SamplingRateHz, decoded.SamplingRateHz);
        Assert.Equal(chunk.ChannelCount, decoded.ChannelCount);
        Assert.Equal(chunk.Samples, decoded.Samples);
        Assert.Equal(chunk.Events, decoded.Events);
    }

    [Fact]
    public void Encode_SameChunkTwice_GivesSameBytes()
    {
        var chunk = SampleChunk();

        Assert.Equal(ChunkCodec.Encode(chunk), ChunkCodec.Encode(chunk));
    }

    [Fact]
    public void Decode_AnySingleFlippedBit_IsDetected()
    {
        var bytes = ChunkCodec.Encode(SampleChunk());
        var rng = new Random(1);
        for (var trial = 0; trial < 200; trial++)
        {
            var damaged = (byte[])bytes.Clone();
            var position = rng.Next(damaged.Length);
            damaged[position] ^= (byte)(1 << rng.Next(8));

            Assert.Throws<CorruptChunkException>(() => ChunkCodec.Decode(damaged));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(100)]
    public void Decode_Truncated_IsDetected(int keep)
    {
        var bytes = ChunkCodec.Encode(SampleChunk());

        var ex = Assert.Throws<CorruptChunkException>(() => ChunkCodec.Decode(bytes.AsSpan(0, keep)));
        Assert.NotEmpty(ex.Message);
    }

    [Fact]
    public void Decode_WrongMagic_SaysSo()
    {
        var bytes = ChunkCodec.Encode(SampleChunk());
        bytes[0] = (byte)'X';

        var ex = Assert.Throws<CorruptChunkException>(() => ChunkCodec.Decode(bytes));
        Assert.Contains("magic", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Encode_Layout_MatchesDocumentedOffsets()
    {
        var chunk = SampleChunk();
        var bytes = ChunkCodec.Encode(chunk);

        Assert.Equal("NSCK"u8.ToArray(), bytes[..4]);
        Assert.Equal(1, BitConverter.ToUInt16(bytes, 4));
        Assert.Equal(3, BitConverter.ToUInt16(bytes, 6));
        Assert.Equal(7L, BitConverter.ToInt64(bytes, 8));
        Assert.Equal(1750L, BitConverter.ToInt64(bytes, 16));
        Assert.Equal(250.0, BitConverter.ToDouble(bytes, 24));
        Assert.Equal(250, BitConverter.ToInt32(bytes, 34));
        Assert.Equal(1, bytes[38]);
        Assert.Equal(24, bytes[39]);
        Assert.Equal(chunk.SessionId.Value, System.Text.Encoding.ASCII.GetString(bytes, 40, 24));
        Assert.Equal(System.IO.Hashing.Crc32.HashToUInt32(bytes.AsSpan(0, bytes.Length - 4)), BitConverter.ToUInt32(bytes, bytes.Length - 4));
        Assert.Equal(chunk.Samples[^1], BitConverter.ToSingle(bytes, bytes.Length - 8));
    }
}
