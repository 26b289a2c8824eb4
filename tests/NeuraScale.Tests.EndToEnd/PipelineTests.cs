using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NeuraScale.Domain.Access;
using NeuraScale.Mcp.Security;
using NeuraScale.Testing;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace NeuraScale.Tests.EndToEnd;

/// <summary>
/// What every call gets besides its tool: the one error mapping (our own faults are logged with a reference id, never
/// blamed on the arguments) and telemetry (a span per call inside the request's trace, storage calls under it, metrics).
/// </summary>
public sealed class PipelineTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text));

    [Fact]
    public async Task AnInternalArgumentException_IsReportedAsOurFault_WithAReference_AndLogged()
    {
        var storage = azurite.IsolatedOptions();
        var logs = new CapturingLoggerProvider();
        await using var server = await McpTestServer.StartAsync(storage, [], builder =>
        {
            builder.Logging.AddProvider(logs);
            builder.Services.AddMcpServer().WithTools<FaultyTool>();
        }, Ct);
        var key = await McpTestServer.CreateKeyAsync(storage, ["reader"], cancellationToken: Ct);
        await using var client = await McpTestServer.ConnectAsync(server.Endpoint, key, Ct);

        var result = await client.CallToolAsync("faulty", new Dictionary<string, object?>(), cancellationToken: Ct);

        Assert.True(result.IsError);
        var text = Text(result);
        Assert.Matches(@"^The tool failed with an internal error \(reference [0-9a-f]{12}\)\.", text);
        Assert.DoesNotContain("invariant", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Invalid arguments", text, StringComparison.Ordinal);
        var reference = text.Split("reference ")[1][..12];
        Assert.Contains(logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains(reference, StringComparison.Ordinal) && l.Contains("ArgumentException", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MissingOrMistypedArguments_AreRefusedBeforeTheTool_SayingWhich()
    {
        var storage = azurite.IsolatedOptions();
        await using var server = await McpTestServer.StartAsync(storage, Ct);
        var key = await McpTestServer.CreateKeyAsync(storage, ["reader"], cancellationToken: Ct);
        await using var client = await McpTestServer.ConnectAsync(server.Endpoint, key, Ct);

        var missing = await client.CallToolAsync("get_neural_data", new Dictionary<string, object?> { ["end_time"] = 1 }, cancellationToken: Ct);
        var mistyped = await client.CallToolAsync("get_neural_data", new Dictionary<string, object?> { ["session_id"] = "ses_x", ["downsample_factor"] = "two" }, cancellationToken: Ct);

        Assert.True(missing.IsError);
        Assert.Contains("session_id is required", Text(missing), StringComparison.Ordinal);
        Assert.True(mistyped.IsError);
        Assert.Contains("downsample_factor must be integer", Text(mistyped), StringComparison.Ordinal);
        Assert.Contains("got string \"two\"", Text(mistyped), StringComparison.Ordinal);
        var nulled = await client.CallToolAsync("get_neural_data", new Dictionary<string, object?> { ["session_id"] = "ses_x", ["downsample_factor"] = null }, cancellationToken: Ct);
        Assert.EndsWith("downsample_factor must be integer, got null. See the tool's input schema for what is required and allowed.", Text(nulled), StringComparison.Ordinal);

        // An argument the tool does not take is refused, not ignored: a typo names its likely intent, else the list.
        var typo = await client.CallToolAsync("get_neural_data", new Dictionary<string, object?> { ["session_id"] = "ses_x", ["end_tme"] = 1 }, cancellationToken: Ct);
        Assert.True(typo.IsError);
        Assert.Contains("unknown argument 'end_tme' (did you mean 'end_time'?)", Text(typo), StringComparison.Ordinal);
        var stranger = await client.CallToolAsync("query_sessions", new Dictionary<string, object?> { ["favourite_colour"] = "blue" }, cancellationToken: Ct);
        Assert.True(stranger.IsError);
        Assert.Matches("unknown argument 'favourite_colour' \\(this tool takes [a-z_, ]*patient_id", Text(stranger));
    }

    [Fact]
    public async Task EveryToolCall_IsASpanInTheRequestsTrace_WithItsStorageCalls_AndCounted()
    {
        var storage = azurite.IsolatedOptions();
        var exported = new List<Activity>();
        var exportedMetrics = new List<Metric>();
        int port;
        await using (var server = await McpTestServer.StartAsync(storage, [], builder =>
        {
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(exported));
            builder.Services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(exportedMetrics));
        }, Ct))
        {
            port = server.Endpoint.Port;
            var key = await McpTestServer.CreateKeyAsync(storage, ["reader"], cancellationToken: Ct);
            await using (var client = await McpTestServer.ConnectAsync(new Uri(server.Endpoint, "/mcp/neural-data"), key, Ct))
            {
                await client.CallToolAsync("query_sessions", new Dictionary<string, object?> { ["limit"] = 1 }, cancellationToken: Ct);
            }

            server.Services.GetRequiredService<TracerProvider>().ForceFlush();
            server.Services.GetRequiredService<MeterProvider>().ForceFlush();
        }

        // Read only once the server (and its exporters) stopped: listeners are process-wide, so other tests' servers,
        // running beside this one, would still be adding spans to the list.
        var spans = exported.ToArray();
        var metrics = exportedMetrics.ToArray();
        var request = Assert.Single(spans, s => s.Kind == ActivityKind.Server && Equals(s.GetTagItem("server.port"), port) && Equals(s.GetTagItem("url.path"), "/mcp/neural-data") && spans.Any(c => c.TraceId == s.TraceId && c.DisplayName == "tools/call query_sessions"));
        var call = Assert.Single(spans, s => s.TraceId == request.TraceId && s.DisplayName == "tools/call query_sessions");
        Assert.Equal("ok", call.GetTagItem("neurascale.outcome"));
        Assert.Equal("neurascale-neural-data", call.GetTagItem("mcp.server.name"));
        Assert.Contains(spans, s => s.TraceId == call.TraceId && s.Kind == ActivityKind.Client && s.Source.Name.StartsWith("Azure", StringComparison.Ordinal)); // the catalog query, the audit append
        Assert.Contains(metrics, m => m.Name == "neurascale.tool.calls");
        Assert.Contains(metrics, m => m.Name == "neurascale.tool.duration");
    }

    [McpServerToolType]
    public sealed class FaultyTool
    {
        [McpServerTool(Name = "faulty", ReadOnly = true), Description("Breaks an internal invariant.")]
        [RequiresPermission(Permissions.NeuralDataRead)]
        public static string Faulty() => throw new ArgumentException("internal invariant broken: block 3 of 2", "block");
    }
}
