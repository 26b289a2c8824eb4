using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NeuraScale.Amplifiers;

namespace NeuraScale.EdgeRelay.Commands;

/// <summary>
/// <c>record</c>: one session from an amplifier driver (simulator or EDF replay) to storage through the disk spool.
/// Configuration from appsettings.json and NEURASCALE_ environment variables, overridden by whatever flags are given.
/// </summary>
internal static class RecordCommand
{
    public static Command Create()
    {
        var flags = new (Option Option, string[] Keys)[]
        {
            (new Option<string>("--spool") { Description = "Spool directory; a session left there by a crash is resumed." }, ["Relay:SpoolDirectory"]),
            (new Option<double>("--duration") { Description = "Seconds to record; 0 records until Ctrl+C." }, ["Relay:DurationSeconds"]),
            (new Option<string>("--patient") { Description = "Patient pseudonym (psn_ + 16 characters)." }, ["Relay:Patient"]),
            (new Option<string>("--description") { Description = "Session description (no PHI)." }, ["Relay:Description"]),
            (new Option<string>("--modality") { Description = "Simulated modality: EEG, EMG or ECG." }, ["Simulator:Modality"]),
            (new Option<int>("--channels") { Description = "Number of channels." }, ["Simulator:ChannelCount"]),
            (new Option<double>("--rate") { Description = "Sampling rate, Hz (whole number)." }, ["Simulator:SamplingRateHz"]),
            (new Option<ulong>("--seed") { Description = "Simulator seed: same seed, same samples." }, ["Simulator:Seed"]),
            (new Option<double>("--speed") { Description = "Playback speed; 1 is real time." }, ["Simulator:Speed", "EdfReplay:Speed"]),
            (new Option<string>("--driver") { Description = "Amplifier driver: Simulator (default) or EdfReplay." }, ["Relay:Driver"]),
            (new Option<string>("--edf") { Description = "EDF/EDF+ file to replay (with --driver EdfReplay)." }, ["EdfReplay:Path"]),
            (new Option<double>("--line-frequency") { Description = "Mains frequency, 50 or 60 Hz." }, ["Simulator:LineFrequencyHz"]),
            (new Option<string>("--device-id") { Description = "Device id reported by the simulated amplifier." }, ["Simulator:DeviceId"]),
            (new Option<string>("--storage") { Description = "Storage connection string (e.g. Azurite's)." }, ["Storage:ConnectionString"]),
        };

        var command = new Command("record", "Record one session from an amplifier driver (simulator or EDF replay) to storage through the disk spool.");
        foreach (var (option, _) in flags)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var overrides = new Dictionary<string, string?>();
            foreach (var (option, keys) in flags)
            {
                if (parse.GetResult(option) is { Implicit: false } result)
                {
                    foreach (var key in keys)
                    {
                        overrides[key] = string.Join(',', result.Tokens.Select(t => t.Value));
                    }
                }
            }

            return await RelayHost.RunAsync("record", overrides, (services, configuration) => services.AddEdgeRelay(configuration), services => services.GetRequiredService<IAmplifierDriver>(), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
