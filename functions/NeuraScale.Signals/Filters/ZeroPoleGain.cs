using System.Numerics;

namespace NeuraScale.Signals.Filters;

/// <summary>A filter as zeros, poles and gain (scipy's <c>zpk</c> form).</summary>
/// <param name="Zeros">Zeros of the transfer function.</param>
/// <param name="Poles">Poles of the transfer function.</param>
/// <param name="Gain">System gain.</param>
public sealed record ZeroPoleGain(Complex[] Zeros, Complex[] Poles, double Gain);
