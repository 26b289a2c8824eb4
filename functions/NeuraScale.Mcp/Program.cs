using NeuraScale.Mcp.Hosting;

if (args.Contains("--stdio"))
{
    await NeuraScaleMcpServer.RunStdioAsync(args);
    return;
}

await NeuraScaleMcpServer.CreateWebApplication(args).RunAsync();
