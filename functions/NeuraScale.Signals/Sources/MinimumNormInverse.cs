using MathNet.Numerics.LinearAlgebra;

namespace NeuraScale.Signals.Sources;

/// <summary>Which distributed inverse estimate to return.</summary>
public enum InverseMethod
{
    /// <summary>Minimum-norm estimate: the source current amplitude |Ĵ| (Hämäläinen &amp; Ilmoniemi 1994).</summary>
    MinimumNorm,

    /// <summary>
    /// Standardised low-resolution tomography (Pascual-Marqui 2002): √(Ĵᵀ R⁻¹ Ĵ) with R the 3×3 resolution block, on data
    /// whitened by the sensor noise — dimensionless, in units of the noise (as MNE's sLORETA values).
    /// </summary>
    SLoreta,

    /// <summary>
    /// Dynamic statistical parametric map (Dale et al. 2000): |Ĵ| over the SD noise alone would give it, on whitened data —
    /// dimensionless, ≈ 1 where there is only noise (as MNE's dSPM values).
    /// </summary>
    Dspm,
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
    private readonly double[] _noiseNorm;           // per source, √trace(K_s K_sᵀ) of the whitened kernel (for dSPM)
    private readonly double _scale;                 // lead-field scale: whitened estimates are K·y·scale / σ

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

        _scale = scale;
        var whitened = _kernel * scale;
        _noiseNorm = Enumerable.Range(0, sources.Count).Select(s => whitened.SubMatrix(3 * s, 3, 0, n).FrobeniusNorm()).ToArray();
        var resolution = _kernel * (g * scale);
        _resolution = new Matrix<double>[sources.Count];
        for (var s = 0; s < sources.Count; s++)
        {
            _resolution[s] = resolution.SubMatrix(3 * s, 3, 3 * s, 3).PseudoInverse();
        }
    }

    public IReadOnlyList<Vector3> Sources { get; }

    /// <summary>The estimate at every source for one topography (electrode potentials, any common reference).</summary>
    /// <param name="potentials">Electrode potentials, V.</param>
    /// <param name="method">Which estimate.</param>
    /// <param name="noiseSd">
    /// SD of the sensor noise in the same unit (white noise covariance σ²I after the average reference), e.g. from the
    /// evoked response's pre-stimulus interval; sLORETA and dSPM are expressed in units of it. Not used by the
    /// minimum-norm estimate, which is a current moment (A·m).
    /// </param>
    public double[] Apply(IReadOnlyList<double> potentials, InverseMethod method, double noiseSd = 1)
    {
        if (method != InverseMethod.MinimumNorm && !(noiseSd > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(noiseSd), noiseSd, "sLORETA and dSPM need a positive sensor noise SD to normalise by.");
        }

        var y = _reference * Vector<double>.Build.DenseOfEnumerable(potentials);
        var j = _kernel * y;
        var whitening = _scale / noiseSd;
        var values = new double[Sources.Count];
        for (var s = 0; s < Sources.Count; s++)
        {
            var moment = j.SubVector(3 * s, 3);
            values[s] = method switch
            {
                InverseMethod.MinimumNorm => moment.L2Norm(),
                InverseMethod.SLoreta => whitening * Math.Sqrt(Math.Max(0, moment * (_resolution[s] * moment))),
                _ => whitening * moment.L2Norm() / _noiseNorm[s],
            };
        }

        return values;
    }
}
