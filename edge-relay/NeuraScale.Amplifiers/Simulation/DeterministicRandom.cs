namespace NeuraScale.Amplifiers.Simulation;

/// <summary>
/// Counter-based random numbers: every value is a pure function of (seed, stream, index), so any sample of a
/// simulated recording can be regenerated on its own, in any order. SplitMix64 finalizer as the mixing function.
/// </summary>
internal static class DeterministicRandom
{
    public static ulong Hash(ulong seed, ulong stream, ulong index)
    {
        var z = seed ^ (stream * 0x9E3779B97F4A7C15UL) ^ (index * 0xD1B54A32D192ED03UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        // One more round so nearby (stream, index) pairs decorrelate fully.
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public static double Uniform(ulong seed, ulong stream, ulong index) => (Hash(seed, stream, index) >> 11) * (1.0 / (1UL << 53));

    /// <summary>Standard normal (Box–Muller on two independent uniforms).</summary>
    public static double Gaussian(ulong seed, ulong stream, ulong index)
    {
        var u1 = 1.0 - Uniform(seed, stream, 2 * index);
        var u2 = Uniform(seed, stream, (2 * index) + 1);
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
