namespace NeuraScale.Signals.Filters;

/// <summary>The band shape of an IIR filter, named as <c>scipy.signal.butter</c>'s <c>btype</c>.</summary>
public enum FilterKind
{
    /// <summary>Passes below one cut-off (<c>btype='lowpass'</c>).</summary>
    LowPass,

    /// <summary>Passes above one cut-off (<c>btype='highpass'</c>).</summary>
    HighPass,

    /// <summary>Passes between two cut-offs (<c>btype='bandpass'</c>).</summary>
    BandPass,

    /// <summary>Rejects between two cut-offs (<c>btype='bandstop'</c>).</summary>
    BandStop,
}
