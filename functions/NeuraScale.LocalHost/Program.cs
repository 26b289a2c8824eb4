using System.CommandLine;
using NeuraScale.LocalHost;

var port = new Option<int>("--port") { Description = "Port of the MCP endpoint (a free one is picked if it is taken).", DefaultValueFactory = _ => 8080 };
var channels = new Option<int>("--channels") { Description = "Simulated EEG channels (1–64); the default 19 are the OpenBCI Cyton+Daisy 16 and the midline Fz, Cz, Pz.", DefaultValueFactory = _ => 19 };
var rate = new Option<double>("--rate") { Description = "Sampling rate, Hz.", DefaultValueFactory = _ => 250 };
var demo = new Option<double>("--demo-seconds") { Description = "Length of the demo session recorded before the endpoint opens.", DefaultValueFactory = _ => 60 };

var root = new RootCommand("NeuraScale local stack: Azurite + MCP server + edge relay with a simulated amplifier.") { port, channels, rate, demo };
root.SetAction(async (parse, cancellationToken) =>
{
    using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    var options = new LocalRunnerOptions
    {
        Port = parse.GetValue(port),
        Channels = parse.GetValue(channels),
        SamplingRateHz = parse.GetValue(rate),
        DemoSeconds = parse.GetValue(demo),
    };

    // Checked before Azurite starts: a bad flag is one line naming it, never a stack trace after a minute of start-up.
    if (options.Problems() is { Count: > 0 } problems)
    {
        await Console.Error.WriteLineAsync("Cannot start: " + string.Join(" ", problems) + " See --help.").ConfigureAwait(false);
        return 64; // EX_USAGE
    }

    return await new LocalRunner(options).RunAsync(stop.Token).ConfigureAwait(false);
});

// Ctrl+C cancels the run and waits for the orderly stop (relays flush and close their sessions, then the server, then
// Azurite); System.CommandLine's default would end the process 2 s after Ctrl+C, mid-flush, leaving Azurite behind.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) }).ConfigureAwait(false);
