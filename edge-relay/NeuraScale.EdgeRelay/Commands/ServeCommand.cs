using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NeuraScale.EdgeRelay.Control;

namespace NeuraScale.EdgeRelay.Commands;

/// <summary>
/// <c>serve</c>: the relay as a member of the control plane — registers itself and its devices, heartbeats, and runs
/// the commands tools put on its queue, until stopped. Outbound connections only.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var relayId = new Option<string>("--relay-id") { Description = "This relay's id (3–40 lowercase letters, digits, hyphens); default Control:RelayId." };
        var storage = new Option<string>("--storage") { Description = "Storage connection string (e.g. Azurite's); default from Storage:* settings (service URIs with Azure credentials in Azure)." };
        var command = new Command("serve", "Register with the control plane, heartbeat, and run device commands from this relay's queue until stopped.") { relayId, storage };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var overrides = new Dictionary<string, string?>();
            if (parse.GetValue(relayId) is { } id)
            {
                overrides["Control:RelayId"] = id;
            }

            if (parse.GetValue(storage) is { } connection)
            {
                overrides["Storage:ConnectionString"] = connection;
            }

            return await RelayHost.RunAsync("serve", overrides, (services, configuration) => services.AddRelayControl(configuration), services => services.GetRequiredService<DeviceFleet>(), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
