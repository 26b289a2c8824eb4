using System.CommandLine;
using NeuraScale.EdgeRelay.Commands;

var root = new RootCommand("NeuraScale edge relay: amplifier → one-second chunks → disk spool → storage; or an EDF/BDF file → a session.")
{
    RecordCommand.Create(),
    ImportCommand.Create(),
    ServeCommand.Create(),
};
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
