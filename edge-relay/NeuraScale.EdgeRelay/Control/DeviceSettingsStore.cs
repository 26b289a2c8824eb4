using System.Text.Json;
using Microsoft.Extensions.Options;
using NeuraScale.Amplifiers.Configuration;

namespace NeuraScale.EdgeRelay.Control;

/// <summary>
/// The settings each device was last configured with, in the relay's spool directory: an amplifier keeps its
/// configuration when the relay restarts, and a recording resumed after a crash needs the layout it started with.
/// </summary>
public sealed class DeviceSettingsStore(IOptions<ControlOptions> options)
{
    private string Folder => Path.Combine(options.Value.SpoolDirectory, ".settings");

    public void Save(string deviceId, AmplifierSettings settings)
    {
        Directory.CreateDirectory(Folder);
        var path = PathOf(deviceId);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(DeviceConfiguration.ToRequest(settings)));
        File.Move(temporary, path, overwrite: true); // a crash leaves the old file or the new, never half of one
    }

    public SettingsRequest? Load(string deviceId)
    {
        var path = PathOf(deviceId);
        return File.Exists(path) ? JsonSerializer.Deserialize<SettingsRequest>(File.ReadAllText(path)) : null;
    }

    private string PathOf(string deviceId) => Path.Combine(Folder, deviceId + ".json");
}
