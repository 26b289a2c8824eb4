using NeuraScale.Mcp.Hosting;

return await McpCommandLine.Create(Console.Out).Parse(args).InvokeAsync().ConfigureAwait(false);
