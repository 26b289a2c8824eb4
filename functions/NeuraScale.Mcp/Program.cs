using NeuraScale.Mcp.Hosting;

return await McpCommandLine.InvokeAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
