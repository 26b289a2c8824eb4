using MathNet.Numerics.LinearAlgebra;

namespace NeuraScale.Signals.Sources;

/// <summary>Which distributed inverse estimate to return.</summary>
public enum InverseMethod
{
    /// <summary>Minimum-norm estimate: the source current amplitude |Ĵ| (Hämäläinen &amp; Ilmoniemi 1994).</summary>
    MinimumNorm,

    /// <summary>Standardised low-resolution tomography: Ĵᵀ R⁻¹ Ĵ with R the 3×3 resolution block (Pascual-Marqui 2002).</summary>
    SLoreta,
}

/// <summary>
/// A free-orientation minimum-norm inverse operator for a sphere head model and a set of electrodes, with data and
/// lead field average-referenced and the noise covariance taken as identity (white sensor noise):
/// K = Gᵀ (G Gᵀ + λ² I)⁻¹ with G scaled so that trace(G Gᵀ) equals the number of electrodes and λ² = 1/SNR²
/// (MNE's convention; SNR 3 by default).
/// </summary>
public sealed class MinimumNormInverse
{
    private readonly Matrix<double> _kernel;        // 3·sources × electrodes
    private readonly Matrix<double> _reference;     // average-reference projector
    private readonly Matrix<double>[] _resolution;  // per source, the 3×3 block of K·G, inverted (for sLORETA)

    public MinimumNormInverse(SphereHeadModel head, IReadOnlyList<Vector3> electrodes, IReadOnlyList<Vector3> sources, double snr = 3)
    {
        ArgumentNullException.ThrowIfNull(head);
        if (electrodes.Count < 3)
        {
            throw new ArgumentException($"Source localisation needs at least 3 electrodes with known positions; got {electrodes.Count}.", nameof(electrodes));
        }

        if (!(snr > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(snr), snr, "the SNR must be positive (3 is usual for averaged data).");
        }

        Sources = sources;
        var n = electrodes.Count;
        var gain = Matrix<double>.Build.Dense(n, 3 * sources.Count);
        for (var s = 0; s < sources.Count; s++)
        {
            var field = head.LeadField(electrodes, sources[s]);
            for (var e = 0; e < n; e++)
            {
                gain[e, 3 * s] = field[e].X;
                gain[e, (3 * s) + 1] = field[e].Y;
                gain[e, (3 * s) + 2] = field[e].Z;
            }
        }

        _reference = Matrix<double>.Build.DenseIdentity(n) - Matrix<double>.Build.Dense(n, n, 1.0 / n);
        var g = _reference * gain;
        var scale = Math.Sqrt((g * g.Transpose()).Trace() / n);
        g /= scale;
        var lambda2 = 1 / (snr * snr);
        _kernel = g.Transpose() * (g * g.Transpose() + (lambda2 * Matrix<double>.Build.DenseIdentity(n))).Inverse();
        _kernel /= scale; // so that K·y estimates the moment of the unscaled lead field (A·m)

        var resolution = _kernel * (g * scale);
        _resolution = new Matrix<double>[sources.Count];
        for (var s = 0; s < sources.Count; s++)
        {
            _resolution[s] = resolution.SubMatrix(3 * s, 3, 3 * s, 3).PseudoInverse();
        }
    }

    public IReadOnlyList<Vector3> Sources { get; }

    /// <summary>The estimate at every source for one topography (electrode potentials, any common reference).</summary>
    public double[] Apply(IReadOnlyList<double> potentials, InverseMethod method)
    {
        var y = _reference * Vector<double>.Build.DenseOfEnumerable(potentials);
        var j = _kernel * y;
        var values = new double[Sources.Count];
        for (var s = 0; s < Sources.Count; s++)
        {
            var moment = j.SubVector(3 * s, 3);
            values[s] = method == InverseMethod.MinimumNorm ? moment.L2Norm() : moment * (_resolution[s] * moment);
        }

        return values;
    }
}
