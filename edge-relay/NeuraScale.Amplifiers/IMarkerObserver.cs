using NeuraScale.Domain;

namespace NeuraScale.Amplifiers;

/// <summary>A driver that wants to hear of the markers put into its recording (the simulator: eyes open blocks its alpha).</summary>
public interface IMarkerObserver
{
    /// <summary>A marker was placed at <see cref="EventMarker.Sample"/>; samples produced from now on may follow it.</summary>
    void OnMarker(EventMarker marker);
}
