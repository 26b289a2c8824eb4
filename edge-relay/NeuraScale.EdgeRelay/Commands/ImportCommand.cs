using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NeuraScale.Domain;
using NeuraScale.Formats.Edf;
using NeuraScale.Storage;
using NeuraScale.Storage.Signals;

namespace NeuraScale.EdgeRelay.Commands;

/// <summary>
/// <c>import</c>: an EDF/EDF+/BDF/BDF+ file on this machine becomes a session with the recording's own start time,
/// channels, units and annotations — what the <c>import_recording</c> tool does for an uploaded file. The file is
/// checked completely before anything is stored; importing the same file for the same patient again finds the same
/// session.
/// </summary>
internal static class ImportCommand
{
    private const int Usage = 64;     // EX_USAGE
    private const int DataError = 65; // EX_DATAERR
    private const int Config = 78;    // EX_CONFIG

    public static Command Create()
    {
        var file = new Option<FileInfo>("--file") { Description = "The EDF, EDF+, BDF or BDF+ file to import." };
        var patient = new Option<string>("--patient") { Description = "Patient pseudonym the recording belongs to (psn_ + 16 characters a-z, 2-7)." };
        var description = new Option<string>("--description") { Description = "What the recording is (task, protocol); no PHI, up to 500 characters." };
        var storage = new Option<string>("--storage") { Description = "Storage connection string (e.g. Azurite's); default from Storage:* settings." };
        var command = new Command("import", "Import an EDF/EDF+/BDF/BDF+ file as a completed session with the recording's own start time, channels and annotations.")
        {
            file, patient, description, storage,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file);
            var pseudonym = parse.GetValue(patient);
            var text = parse.GetValue(description);
            if (path is null)
            {
                return await FailAsync(Usage, "--file is required: the EDF/BDF file to import.").ConfigureAwait(false);
            }

            if (!PatientPseudonym.TryParse(pseudonym, out var owner))
            {
                return await FailAsync(Usage, pseudonym is null
                    ? "--patient is required: the pseudonym of the patient the recording belongs to, 'psn_' followed by 16 characters a-z or 2-7."
                    : $"--patient '{pseudonym}' is not a pseudonym: 'psn_' followed by 16 characters a-z or 2-7. Never a name or record number.").ConfigureAwait(false);
            }

            if (text is { Length: > 500 })
            {
                return await FailAsync(Usage, $"--description is {text.Length} characters; at most 500.").ConfigureAwait(false);
            }

            if (!path.Exists)
            {
                return await FailAsync(Usage, $"--file {path.FullName} does not exist.").ConfigureAwait(false);
            }

            EdfSessionSource source;
            try
            {
                source = EdfSessionSource.Open(path.FullName);
            }
            catch (InvalidRequestException ex)
            {
                return await FailAsync(DataError, $"{path.Name} was not imported, nothing was stored: {ex.Message}").ConfigureAwait(false);
            }

            using (source)
            {
                using var host = BuildHost(parse.GetValue(storage));
                try
                {
                    host.Services.GetRequiredService<IStartupValidator>().Validate();
                }
                catch (OptionsValidationException ex)
                {
                    return await FailAsync(Config, string.Join(" ", ex.Failures) + " Pass --storage or set NEURASCALE_Storage__ConnectionString.").ConfigureAwait(false);
                }

                try
                {
                    await host.StartAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (InvalidOperationException ex)
                {
                    return await FailAsync(69, ex.Message).ConfigureAwait(false); // EX_UNAVAILABLE
                }

                // The same file for the same patient is the same session: a repeated import stores nothing twice.
                var id = SessionId.Derived($"import\n{owner.Value}\n{await HashAsync(path.FullName, cancellationToken).ConfigureAwait(false)}");
                var imported = await host.Services.GetRequiredService<RecordingImporter>()
                    .ImportAsync(source, id, owner, text, progress: null, cancellationToken).ConfigureAwait(false);
                await host.StopAsync(CancellationToken.None).ConfigureAwait(false);

                var s = imported.Session;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(imported.AlreadyPresent ? "Already imported" : "Imported")} {path.Name} ({imported.Format}) as {s.Id}: {s.Channels.Count} channel(s) at {s.SamplingRateHz:0.###} Hz, {s.DurationSeconds:0.###} s from {s.StartTime:yyyy-MM-dd HH:mm:ss} (the file's clock), {s.EventCount} event(s)."));
                foreach (var note in imported.Notes)
                {
                    Console.WriteLine("Note: " + note);
                }

                return 0;
            }
        });
        return command;
    }

    private static IHost BuildHost(string? connectionString)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environments.Production,
        });
        builder.Configuration.AddEnvironmentVariables("NEURASCALE_");
        if (connectionString is not null)
        {
            builder.Configuration.AddInMemoryCollection([new("Storage:ConnectionString", connectionString)]);
        }

        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddNeuraScaleSignalStorage(builder.Configuration);
        return builder.Build();
    }

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<int> FailAsync(int exitCode, string message)
    {
        await Console.Error.WriteLineAsync("Cannot import: " + message + " See 'import --help'.").ConfigureAwait(false);
        return exitCode;
    }
}
