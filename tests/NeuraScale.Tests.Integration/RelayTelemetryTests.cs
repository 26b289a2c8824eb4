using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

/// <summary>
/// The relay ships its spans (a chunk's trace starts on the relay machine): the built relay, recording into Azurite
/// with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, exports its spans over OTLP/HTTP to a collector — here a loopback
/// endpoint that keeps what it is sent — under its own service name, and flushes them when the recording ends.
/// </summary>
public sealed class RelayTelemetryTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheRelay_ExportsItsSpans_OverOtlp_UnderItsServiceName()
    {
        var received = new ConcurrentQueue<byte[]>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        await using var collector = builder.Build();
        collector.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            received.Enqueue(body.ToArray());
            return Results.Bytes([], "application/x-protobuf"); // an empty ExportTraceServiceResponse
        });
        await collector.StartAsync(Ct);
        var address = collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        var spool = Directory.CreateTempSubdirectory("relay-otel-").FullName;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(RepositoryPaths.BuiltProgram("edge-relay/NeuraScale.EdgeRelay", "NeuraScale.EdgeRelay"));
        foreach (var arg in new[] { "record", "--storage", azurite.ConnectionString, "--patient", "psn_abcdefghijklmnop", "--duration", "2", "--spool", spool })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = address;
        start.Environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        using var relay = Process.Start(start)!;
        var output = relay.StandardOutput.ReadToEndAsync(Ct);
        var errors = await relay.StandardError.ReadToEndAsync(Ct);
        await relay.WaitForExitAsync(Ct);
        Assert.True(relay.ExitCode == 0, errors + await output);

        // Protobuf keeps strings as they are: the service name and the Azure SDK's storage spans are in what arrived.
        var text = string.Concat(received.Select(Encoding.UTF8.GetString));
        Assert.NotEmpty(received);
        Assert.Contains("neurascale-edge-relay", text, StringComparison.Ordinal);
        Assert.Contains("Azure.Storage.Blobs", text, StringComparison.Ordinal);
    }
}
