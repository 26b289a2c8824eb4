using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.EdgeRelay;
using NeuraScale.LocalHost;
using NeuraScale.Processing;
using NeuraScale.Processing.Devices;
using NeuraScale.Storage;
using NeuraScale.Storage.Devices;

namespace NeuraScale.Benchmarks;

/// <summary>
/// The device control plane on Azurite: command round trip (service → commands table → the relay's queue → relay
/// claims, runs, writes the outcome → service reads it) for commands sent back to back and for commands after an idle
/// pause (the relay's poll back-off), beside the reference of one bare queue send + receive + delete; and how long after
/// a relay stops the tools report its devices offline.
/// </summary>
public static class DeviceControlBenchmark
{
    public static async Task RunAsync(int commands)
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        var storage = new StorageOptions { ConnectionString = azurite.ConnectionString };
        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Control:RelayId"] = "bench",
            ["Control:SpoolDirectory"] = Directory.CreateTempSubdirectory("bench-spool-").FullName,
            ["Audit:ArgumentHashKey"] = "neurascale-benchmark-audit-key-0123456789",
        };
        var relay = Relay(settings);
        await relay.StartAsync();

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Production });
        services.AddNeuraScaleStorage(configuration).AddNeuraScaleApplication(configuration);
        await using var provider = services.BuildServiceProvider();
        var devices = provider.GetRequiredService<DeviceControlService>();
        var caller = new Caller("key:bench", "bench", new HashSet<string> { "technician" }, new HashSet<string> { Permissions.DevicesRead, Permissions.DevicesControl }, null);
        var device = "bench-eeg-01";

        Console.WriteLine("| what | n | p50 ms | p90 ms | p99 ms | max ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        await ReferenceAsync(StorageServiceCollectionExtensions.CreateClients(storage), commands);
        var burst = new double[commands];
        for (var i = 0; i < commands; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var result = await devices.SendAsync(caller, device, "get_diagnostics", "{}", 30, null, CancellationToken.None);
            burst[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (result.State != CommandStates.Succeeded)
            {
                throw new InvalidOperationException($"command {result.Id} ended {result.State}: {result.Error}");
            }
        }

        Row("round trip, commands back to back (get_diagnostics)", burst);
        var paused = new double[Math.Min(commands, 30)];
        for (var i = 0; i < paused.Length; i++)
        {
            await Task.Delay(3000); // an assistant thinking between calls: the relay has backed off to its idle poll
            var started = Stopwatch.GetTimestamp();
            await devices.SendAsync(caller, device, "get_diagnostics", "{}", 30, null, CancellationToken.None);
            paused[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Row("round trip after a 3 s pause (relay polling at its 1 s idle rate)", paused);

        // Offline detection: stop the relay, then ask until the tools say offline.
        await relay.StopAsync();
        relay.Dispose();
        var stoppedAt = Stopwatch.GetTimestamp();
        while ((await devices.GetDeviceAsync(device, CancellationToken.None)).Status != DeviceStates.Offline)
        {
            await Task.Delay(100);
        }

        Console.WriteLine(FormattableString.Invariant($"Relay stopped → devices reported offline after {Stopwatch.GetElapsedTime(stoppedAt).TotalSeconds:0.0} s (heartbeat 10 s, offline after 30 s without one; the bound is 30 s after the last beat)."));
    }

    /// <summary>The floor: one queue message sent, received and deleted, the bare SDK.</summary>
    private static async Task ReferenceAsync(StorageClients clients, int n)
    {
        var queues = new RelayQueues(clients);
        await queues.CreateAsync("reference");
        var samples = new double[n];
        for (var i = 0; i < n; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await queues.SendAsync("reference", "cmd_x", TimeSpan.FromMinutes(1));
            var message = (await queues.ReceiveAsync("reference", 1, TimeSpan.FromSeconds(30)))[0];
            await queues.DeleteAsync("reference", message);
            samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Row("reference: bare queue send + receive + delete", samples);
    }

    private static IHost Relay(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddRelayControl(builder.Configuration);
        return builder.Build();
    }

    private static void Row(string label, double[] ms)
    {
        Array.Sort(ms);
        double At(double q) => ms[Math.Min(ms.Length - 1, (int)(q * ms.Length))];
        Console.WriteLine(FormattableString.Invariant($"| {label} | {ms.Length} | {At(0.5):0.0} | {At(0.9):0.0} | {At(0.99):0.0} | {ms[^1]:0.0} |"));
    }
}
